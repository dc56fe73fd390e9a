// typeKey encodes (kind, name, version) with a null version spelled out: a constraint on
// version itself would ignore the unversioned types, since uniqueness skips nulls.
CREATE CONSTRAINT type_key IF NOT EXISTS FOR (t:Type) REQUIRE t.typeKey IS UNIQUE
