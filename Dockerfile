# syntax=docker/dockerfile:1
# atio in a container: docker build -t atio:0.1.0 .   (docs/deploy.md)
#
# Stage 1 builds with the project's own scripts on Debian 12, as on a developer's machine.
# Stage 2 holds the runtime libraries, the binary, the web UI and the shipped playbooks,
# and runs as the unprivileged user atio (uid 10001).

FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# The packages first: this layer is rebuilt only when the list changes. The package lists
# stay: scripts/node-env.sh installs Debian's npm to fetch Node.js when it needs to.
COPY scripts/install-deps.sh scripts/
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends ca-certificates \
 && scripts/install-deps.sh
# The web UI (Node.js comes from scripts/node-env.sh) into web/dist.
COPY scripts/ scripts/
COPY web/ web/
RUN scripts/build-ui.sh && test -f web/dist/index.html
# The server and the jails' pid 1 (atio-jail-init), no tests.
COPY CMakeLists.txt ./
COPY apps/ apps/
COPY src/ src/
RUN --mount=type=cache,target=/root/.cache/ccache \
    ATIO_BUILD_DIR=build ATIO_BUILD_TARGET="atio atio-jail-init" \
    scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATIO_BUILD_TESTS=OFF \
 && strip --strip-debug -o /atio build/apps/atio/atio \
 && strip -o /atio-jail-init build/apps/atio/atio-jail-init

FROM debian:bookworm-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive
# The shared libraries `atio` links (ldd build/apps/atio/atio, each mapped to its package with
# dpkg -S; tests/integration/test_deploy_manifests.py keeps this list complete), libpq5 for the
# PostgreSQL store, CA certificates for outbound HTTPS, curl for the health check, tini to
# reap children and forward signals, and bubblewrap and python3 for jailed bash and
# x-atio-python steps (docs/scripts.md says what the container must allow for them).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libboost-json1.81.0 libboost-url1.81.0 libcurl4 libjemalloc2 liblua5.4-0 \
      libprometheus-cpp-core1.0 libpugixml1v5 libsodium23 libsqlite3-0 libssl3 libstdc++6 \
      libgcc-s1 libc6 libpq5 libssh-4 \
      ca-certificates curl tini bubblewrap python3 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 atio \
 && useradd --system --uid 10001 --gid atio --home-dir /var/lib/atio --no-create-home \
      --shell /usr/sbin/nologin atio \
 && install -d -o atio -g atio -m 0700 /var/lib/atio

COPY --from=build /atio /usr/local/bin/atio
# default_jail_init (actions/script/jail.h): found beside the atio binary.
COPY --from=build /atio-jail-init /usr/local/bin/atio-jail-init
# find_ui_dir: <prefix>/bin/atio serves <prefix>/share/atio/ui.
COPY --from=build /src/web/dist/ /usr/local/share/atio/ui/
COPY playbooks/ /usr/local/share/atio/playbooks/
COPY deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

LABEL org.opencontainers.image.title="atio" \
      org.opencontainers.image.description="SOAR with CACAO 2.0 playbooks and STIX 2.1" \
      org.opencontainers.image.version="0.1.0"

USER 10001:10001
WORKDIR /var/lib/atio
VOLUME ["/var/lib/atio"]
EXPOSE 8080
# Liveness (GET /healthz: the engine's workers turn). Orchestrators ask /readyz for traffic.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["serve"]
