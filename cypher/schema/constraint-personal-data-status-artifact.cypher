// One derived personal-data status per artifact; its index serves every read and write of them.
CREATE CONSTRAINT personal_data_status_artifact IF NOT EXISTS FOR (d:PersonalDataStatus) REQUIRE d.artifactId IS UNIQUE
