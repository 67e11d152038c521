# Zhengqian — `make run` and `make test` are all a fresh Debian machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes: the suite is split over both cores (pytest-xdist).
TEST_WORKERS ?= 2
APT_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 shared-mime-info
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test bench lint migrate demo clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@missing=""; for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装系统软件包:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing; \
	fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	@set -o pipefail; $(PY) -m pip install -q -e '.[dev]' 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $(STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "员工界面：http://127.0.0.1:$(PORT)/   接口文档：http://127.0.0.1:$(PORT)/api/v1/docs"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	@mkdir -p var/static
	$(PY) -m pytest -n $(TEST_WORKERS)

bench: install
	@set -e; for script in bench/*.py; do echo "== $$script"; $(PY) $$script; done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check zhengqian/domain
	$(VENV)/bin/mypy --strict zhengqian/domain

clean:
	rm -rf var/test-* .pytest_cache
