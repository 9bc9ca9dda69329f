# Developer shortcuts; `make bench` runs the performance benchmark (docs/performance.md).

.PHONY: bench bench-quick bench-postgres

PG_URL ?= postgresql://postgres@127.0.0.1:5432

bench:
	python -m bench.perf $(ARGS)

bench-quick:
	python -m bench.perf --quick $(ARGS)

bench-postgres:
	python -m bench.perf --postgres $(PG_URL) $(ARGS)
