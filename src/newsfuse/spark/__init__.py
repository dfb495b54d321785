"""spark: the same pipeline on Apache Spark, for crawls that outgrow one machine (the
`spark` extra). Nothing here imports pyspark until a run starts."""
