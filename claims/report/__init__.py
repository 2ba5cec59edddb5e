"""Reports: how a judged run is written and read (docs/layout.md).

document (the JSON schema, the one artefact every renderer reads, and its loading checks),
sections (the JSON's computed sections: what survives, grid tables, sentence tables), view (the
presentation model both renderers read), markdown and html (renderers), terminal (the session's
summary), publish (the one writer of report sets), provenance (git commit, package versions),
merge (shard reports into one), drift (a fresh run against the committed report), stability
(depth and seed-stability checks). Imports only claims.engine below it.
"""
