#!/usr/bin/env bash
# Builds the platform's container images and tags them with names taken from the environment, so
# that docker-compose.yml and the end-to-end tests run the same way with official base images (a
# user's machine with a registry) or with base images built here (machines without a registry).
#
#   infra/build-images.sh                 # services on NODE_BASE_IMAGE (default node:22-bookworm-slim)
#   PLATFORM_LOCAL_BASE=1 infra/build-images.sh
#                                         # no registry: a Debian bookworm base made with debootstrap,
#                                         # this machine's node binary, Debian's PostgreSQL 15
#
# Variables (all optional):
#   PLATFORM_IMAGE_PREFIX  name prefix of the service images (default gov-platform): <prefix>/identity, ...
#   PLATFORM_IMAGE_TAG     tag of the service images (default latest)
#   NODE_BASE_IMAGE        base of the service images (default node:22-bookworm-slim, or the local one)
#   POSTGRES_IMAGE         PostgreSQL image (default postgres:17, or the local one)
#   PLATFORM_SERVICES      which services to build (default: identity seal license banksim payment console)
#   DEBIAN_MIRROR          mirror for debootstrap (default: the one apt on this machine uses)
# With PLATFORM_LOCAL_BASE=1 the script prints the exports to use the local images at the end, and
# writes them to .data/images/images.env.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

prefix=${PLATFORM_IMAGE_PREFIX:-gov-platform}
tag=${PLATFORM_IMAGE_TAG:-latest}
local_base=${PLATFORM_LOCAL_BASE:-0}
cache=${PLATFORM_IMAGE_CACHE:-$repo/.data/images}
services=${PLATFORM_SERVICES:-identity seal license banksim payment console}
mkdir -p "$cache"

log() { printf '[build-images] %s\n' "$*" >&2; }

# The Debian mirror apt already uses here (deb822 sources first, then the classic list).
default_mirror() {
  local uri
  uri=$(grep -hoE '^URIs: *http[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | sed 's/^URIs: *//')
  [ -n "$uri" ] || uri=$(grep -hoE '^deb +http[^ ]+' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

# A minimal Debian bookworm root file system, made once and kept as a tarball in the cache.
debian_rootfs_tar() {
  local tarball=$cache/debian-bookworm-minbase.tar
  if [ ! -s "$tarball" ]; then
    local dir=$cache/rootfs-minbase mirror=${DEBIAN_MIRROR:-$(default_mirror)}
    log "debootstrap --variant=minbase bookworm from $mirror (once; cached in ${cache#"$repo"/})"
    rm -rf "$dir"
    debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
      { tail -20 "$cache/debootstrap.log"; exit 1; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  fi
  echo "$tarball"
}

# The same root file system plus Debian's PostgreSQL 15 server, installed in a chroot on the host
# (so the image build itself needs no network).
postgres_rootfs_tar() {
  local tarball=$cache/debian-bookworm-postgresql15.tar
  if [ ! -s "$tarball" ]; then
    local base dir=$cache/rootfs-postgresql
    base=$(debian_rootfs_tar)
    log "installing postgresql-15 into a copy of the Debian root file system (once)"
    rm -rf "$dir" && mkdir -p "$dir" && tar -C "$dir" -xf "$base"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    # No service starts inside the chroot, and no default cluster: the image's entrypoint makes one.
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d" && chmod +x "$dir/usr/sbin/policy-rc.d"
    mkdir -p "$dir/etc/postgresql-common/createcluster.d"
    echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.d/no-main-cluster.conf"
    {
      chroot "$dir" apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get install -y -qq --no-install-recommends postgresql-15
    } >"$cache/postgres-chroot.log" 2>&1 || { tail -20 "$cache/postgres-chroot.log"; exit 1; }
    chroot "$dir" apt-get clean
    rm -rf "$dir"/var/lib/apt/lists/* "$dir/usr/sbin/policy-rc.d"
    : >"$dir/etc/resolv.conf"
    tar -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$dir"
  fi
  echo "$tarball"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

import_rootfs() { # tarball image
  if ! image_exists "$2"; then
    log "docker import $(basename "$1") as $2"
    docker import "$1" "$2" >/dev/null
  fi
}

if [ "$local_base" = 1 ]; then
  command -v debootstrap >/dev/null || { echo 'debootstrap is not installed (apt-get install -y debootstrap)' >&2; exit 1; }
  import_rootfs "$(debian_rootfs_tar)" "$prefix/debian-rootfs:bookworm"
  import_rootfs "$(postgres_rootfs_tar)" "$prefix/postgresql-rootfs:15"
  node_version=$(node --version)
  NODE_BASE_IMAGE=${NODE_BASE_IMAGE:-$prefix/node-base:${node_version#v}}
  POSTGRES_IMAGE=${POSTGRES_IMAGE:-$prefix/postgres:15}
  if ! image_exists "$NODE_BASE_IMAGE"; then
    log "building $NODE_BASE_IMAGE (Debian + this machine's node $node_version)"
    ctx=$(mktemp -d)
    cp "$(readlink -f "$(command -v node)")" "$ctx/node"
    cp infra/images/node-base/Dockerfile "$ctx/"
    docker build -q --build-arg "ROOTFS_IMAGE=$prefix/debian-rootfs:bookworm" -t "$NODE_BASE_IMAGE" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
  log "building $POSTGRES_IMAGE"
  docker build -q --build-arg "ROOTFS_IMAGE=$prefix/postgresql-rootfs:15" -t "$POSTGRES_IMAGE" infra/images/postgres >/dev/null
fi
NODE_BASE_IMAGE=${NODE_BASE_IMAGE:-node:22-bookworm-slim}
POSTGRES_IMAGE=${POSTGRES_IMAGE:-postgres:17}

# Each service: bundle and runtime files staged on the host (infra/images/stage-service.ts), then
# the one service Dockerfile builds the image from that folder, told the service's port and whether
# it migrates a database on start (the console has none).
service_port() {
  case $1 in
    console) echo 4000 ;; identity) echo 4001 ;; license) echo 4002 ;;
    seal) echo 4003 ;; payment) echo 4004 ;; banksim) echo 4005 ;;
    *) echo "unknown service: $1" >&2; return 1 ;;
  esac
}
for svc in $services; do
  port=$(service_port "$svc")
  migrate=true
  [ "$svc" = console ] && migrate=false
  log "staging $svc"
  stage=$cache/stage/$svc
  node_modules/.bin/tsx infra/images/stage-service.ts "$svc" "$stage"
  log "building $prefix/$svc:$tag on $NODE_BASE_IMAGE"
  docker build -q --build-arg "NODE_BASE_IMAGE=$NODE_BASE_IMAGE" --build-arg "SERVICE=$svc" \
    --build-arg "PORT=$port" --build-arg "MIGRATE_ON_START=$migrate" \
    -f infra/images/service/Dockerfile -t "$prefix/$svc:$tag" "$stage" >/dev/null
done

{
  echo "PLATFORM_IMAGE_PREFIX=$prefix"
  echo "PLATFORM_IMAGE_TAG=$tag"
  echo "NODE_BASE_IMAGE=$NODE_BASE_IMAGE"
  echo "POSTGRES_IMAGE=$POSTGRES_IMAGE"
} >"$cache/images.env"
log "done; image names are in ${cache#"$repo"/}/images.env:"
sed 's/^/  export /' "$cache/images.env"
