// A data subject is known only by the keyed hash of its identifier, once.
CREATE CONSTRAINT data_subject_hash IF NOT EXISTS FOR (s:DataSubject) REQUIRE s.hash IS UNIQUE
