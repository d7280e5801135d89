"""article-qa's front ends: the CLI, the console chat and the Discord bot."""
