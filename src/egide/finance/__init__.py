"""Financial intelligence: explained alerts on the payments behind live-streamed child abuse.

Library entry points (the CLI in ``egide.cli.finance_cmd`` is a thin layer over these):
``reader.read_transactions``, ``pipeline.score_file``/``score_read``, ``score.score_frame``,
``stream.StreamScorer``, ``goaml.build_report``/``write_report``, ``synth.write_synthetic``,
``evaluate.evaluate``.
"""
