#!/bin/sh
# Builds Adobe's User Sync Tool 2.10 (user-sync.py v2.10.0rc2 with umapi-client 3.0.1) from its public
# source for `npm run bench:vs-ust`, without PyPI: Debian's python3 and python3-* packages, the two
# sources (and the okta wheel UST ships in external/) on a private PYTHONPATH, and a console script
# equivalent to the one pip would write (`user_sync = user_sync.app:main`).
#
#   sh bench/vs-ust/build-ust210.sh            # builds into $UST_DIR or $HOME/.cache/ust-bench/ust210
#
# Idempotent: an existing build of the same versions is kept (delete the directory to rebuild).
# Sources: UST_SRC_GIT / UMAPI_SRC_GIT may name a local git directory (bare or not) holding the tags;
# otherwise the tags are cloned from GitHub. Debian packages are installed with apt-get when run as root,
# else the missing ones are listed. Prints the path of the runnable `user-sync` on its last line.
set -eu

UST_TAG=v2.10.0rc2
UMAPI_TAG=v3.0.1
OUT=${UST_DIR:-${HOME}/.cache/ust-bench/ust210}
STAMP="user-sync.py $UST_TAG + umapi-client.py $UMAPI_TAG"
PY=/usr/bin/python3
# What UST 2.10's sync (CSV, LDAP, UMAPI) imports, as Debian packages. keyrings.cryptfile (in setup.py)
# is never imported by UST's code; kerberos and secretstorage are the Linux extras.
DEBS="python3 python3-yaml python3-click python3-click-default-group python3-requests python3-ldap3
python3-keyring python3-secretstorage python3-kerberos python3-jwt python3-cryptography python3-psutil
python3-schema python3-pycryptodome python3-aiohttp python3-dateutil python3-six python3-pkg-resources time"

# Reuse a build: this script's, or any UST 2.10 install whose console script is in $UST_DIR/bin (a pip
# install names it user_sync).
for bin in "$OUT/bin/user-sync" "$OUT/bin/user_sync"; do
  if [ -x "$bin" ]; then
    echo "$bin"
    exit 0
  fi
done
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
  echo "$OUT exists but holds no bin/user-sync: remove it, or set UST_DIR to another directory" >&2
  exit 1
fi

missing=""
for deb in $DEBS; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $deb"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian packages:$missing" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2
  else
    echo "missing Debian packages; run: sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
  fi
fi

# extract <git dir or URL> <tag> <into>
extract() {
  mkdir -p "$3"
  if [ -d "$1" ]; then
    git --git-dir="$(git -C "$1" rev-parse --absolute-git-dir 2>/dev/null || echo "$1")" archive "$2" | tar -x -C "$3"
  else
    clone=$(mktemp -d)
    git clone --quiet --depth 1 --branch "$2" "$1" "$clone"
    git -C "$clone" archive "$2" | tar -x -C "$3"
    rm -rf "$clone"
  fi
}

# Built under a temporary name, renamed when complete: an interrupted build leaves nothing to reuse.
FINAL=$OUT
OUT=$FINAL.partial
rm -rf "$OUT"
mkdir -p "$OUT/src" "$OUT/lib" "$OUT/bin"
echo "extracting user-sync.py $UST_TAG and umapi-client.py $UMAPI_TAG into $OUT/src" >&2
extract "${UST_SRC_GIT:-https://github.com/adobe-apiplatform/user-sync.py.git}" "$UST_TAG" "$OUT/src/user-sync.py"
extract "${UMAPI_SRC_GIT:-https://github.com/adobe-apiplatform/umapi-client.py.git}" "$UMAPI_TAG" "$OUT/src/umapi-client.py"

# The packages a pip install would put in site-packages: user_sync (with its resources), sign_client
# (a sub-project of the same repository, pinned by setup.py as sign-client~=0.2.1), umapi_client, and
# okta 0.0.3.1 from the wheel UST ships in external/ (pure Python; needs requests, six, dateutil).
cp -R "$OUT/src/user-sync.py/user_sync" "$OUT/lib/"
cp -R "$OUT/src/user-sync.py/sign_client/sign_client" "$OUT/lib/"
cp -R "$OUT/src/umapi-client.py/umapi_client" "$OUT/lib/"
(cd "$OUT/lib" && "$PY" -m zipfile -e "$OUT/src/user-sync.py/external/okta-0.0.3.1-py2.py3-none-any.whl" .)
# UST imports pycryptodome as `Crypto` (user_sync/encryption.py); Debian's python3-pycryptodome is the
# same library under the name `Cryptodome` (its own modules import each other by that name), so `Crypto`
# is a symbolic link to it. Only JWT private-key decryption uses it; the OAuth benchmark never calls it.
ln -s "$("$PY" -s -c 'import Cryptodome, os; print(os.path.dirname(Cryptodome.__file__))')" "$OUT/lib/Crypto"

cat > "$OUT/bin/user-sync" <<SCRIPT
#!$PY -s
# console script for user-sync 2.10 (setup.py: user_sync = user_sync.app:main), built by build-ust210.sh
import sys
sys.path.insert(0, '$FINAL/lib')
from user_sync.app import main
sys.exit(main())
SCRIPT
chmod +x "$OUT/bin/user-sync"
echo "$STAMP" > "$OUT/BUILT"
rmdir "$FINAL" 2>/dev/null || true
mv "$OUT" "$FINAL"
# Byte-compiled once here, so no run pays for it.
"$PY" -s -m compileall -q "$FINAL/lib/user_sync" "$FINAL/lib/sign_client" "$FINAL/lib/umapi_client" "$FINAL/lib/okta" >&2
"$FINAL/bin/user-sync" --version >&2
echo "$FINAL/bin/user-sync"
