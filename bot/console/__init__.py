"""The console: the chat loop and what it draws on a terminal."""
