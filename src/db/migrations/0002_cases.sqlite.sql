-- The full-text index of cases.  Contentless (content=''): it keeps no
-- copy of the text, and its tokenizer (db/search_tokenizer.c) stores only
-- keyed hashes of trigrams, so that nothing in the index reads as the
-- worker's words.  rowid = case_rec.id.
CREATE VIRTUAL TABLE case_fts USING fts5(body, content='',
	tokenize='atis_hashed');
