-- The agency's photo of each update, shrunk, kept so the timeline shows it offline.
-- NULL: not fetched yet (tried again next round); empty: the photo could not be read.
ALTER TABLE updates ADD COLUMN preview BLOB;
