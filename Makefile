# The README's two commands. Both install everything they need first (scripts/bootstrap.sh).
.PHONY: run test bench bootstrap lint

run: bootstrap
	.venv/bin/python -m sfo.launcher run

test: bootstrap
	.venv/bin/python -m sfo.launcher test $(PYTEST_ARGS)

bench:
	bash scripts/bench.sh

bootstrap:
	bash scripts/bootstrap.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
