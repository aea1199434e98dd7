"""Site search: one Whoosh index with a jieba analyzer (see docs/search.md)."""
