"""What users taught the owner: the asks and votes store, the report, its export."""
