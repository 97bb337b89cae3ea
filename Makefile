# The two commands of the README. Everything they need is installed by scripts/.
.PHONY: start test install

start:
	bash scripts/start.sh

test:
	bash scripts/test.sh

install:
	bash scripts/bootstrap.sh
