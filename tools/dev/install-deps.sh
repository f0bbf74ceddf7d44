#!/bin/sh
# Installs the Debian 12 packages flowstate needs to build and test, if any is missing.
# Run as root (or with sudo). Idempotent: does nothing when everything is there.
set -eu
# The static link (FLOWSTATE_STATIC_LINK, cmake/Dependencies.cmake) uses the .a archives of
# yaml-cpp, RocksDB and RocksDB's compression libraries; librocksdb-dev depends on the latter
# today, they are listed so that the archives we link do not rest on that. libc.a and
# libstdc++.a come with g++ (libc6-dev, libstdc++-12-dev).
packages="g++ cmake ninja-build ccache pkg-config libyaml-cpp-dev libboost1.81-dev
  libboost-json1.81-dev libboost-url1.81-dev libfmt-dev librocksdb-dev libsnappy-dev
  liblz4-dev libzstd-dev libbz2-dev zlib1g-dev catch2 libcli11-dev libxml2-utils
  python3-junitparser"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# python3 may come from elsewhere (pyenv); only the command matters. (python3-junitparser,
# the JUnit consumer of the `flowstate test` suite, brings Debian's /usr/bin/python3.)
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
# The clients of the server's end-to-end suites (test/clients): the AWS CLI and boto3, the
# Debian packages unless the commands already work (pip, pyenv); Node.js and npm only when
# npm is missing (then `npm ci` in test/clients/node runs as part of the build).
command -v aws >/dev/null 2>&1 || missing="$missing awscli"
python3 -c "import boto3" >/dev/null 2>&1 || missing="$missing python3-boto3"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  echo "install-deps: installing:$missing" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
