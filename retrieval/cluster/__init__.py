"""A Sphinx/Manticore cluster as the retriever: addresses, connections, writing the shards."""
