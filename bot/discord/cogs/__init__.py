"""The bot's cogs, one per feature, each given the shared ArticleService; none imports another."""
