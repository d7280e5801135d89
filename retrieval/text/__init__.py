"""Reading articles into cited sentences, and the words of them: tokens, stems, word knowledge."""
