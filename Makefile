# Local services for development, tests and CI: a Kafka broker and a Redis
# server under $(STATE_DIR), reused when they already run.
STATE_DIR ?= .state
SERVICES := deploy/local/services.sh

export NEWSWATCH_STATE_DIR := $(abspath $(STATE_DIR))

.PHONY: up down status

up: ## start (or reuse) the local Kafka broker and Redis server
	@$(SERVICES) up

down: ## stop the local Kafka broker and Redis server that `make up` started
	@$(SERVICES) down

status: ## tell whether Kafka and Redis answer, and whether we started them
	@$(SERVICES) status
