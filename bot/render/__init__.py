"""What users read: the words, their markup for a terminal or Discord, the JSON contract."""
