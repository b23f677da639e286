"""From a description in words to a schema: the design a model proposes (a JSON document), turned into DDL and
validated the way every schema is read (:mod:`seeder.design.draft`, :mod:`seeder.design.validate`). The model call
itself is :mod:`seeder.llm.design`.
"""
