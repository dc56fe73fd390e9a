// Links are sets. The key (context, artifact) lets the database refuse the duplicate that two
// concurrent writers would each create after seeing no link.
CREATE CONSTRAINT attribution_key IF NOT EXISTS FOR ()-[r:ATTRIBUTION]-() REQUIRE r.key IS UNIQUE
