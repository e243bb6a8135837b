# Sourced by ./mvnw and ./sluice: points JAVA_HOME at a JDK whose major version is >= 21.
# Order: JAVA_HOME, the java on PATH, then every JDK under /usr/lib/jvm (newest first).
sluice_java_major() {
  # The JDK's release file names its version; reading it costs nothing, while asking the JVM
  # itself starts one (about 50 ms before every ./sluice command). Older layouts without the file
  # fall back to asking.
  major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n 1)
  if [ -n "$major" ]; then
    echo "$major"
    return
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
sluice_is_jdk21() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(sluice_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}
sluice_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && sluice_is_jdk21 "$JAVA_HOME"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if sluice_is_jdk21 "$candidate"; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  fi
  for candidate in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -V -r); do
    if sluice_is_jdk21 "$candidate"; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  done
  echo "sluice: no JDK 21 or newer found (looked at JAVA_HOME, the javac on PATH and /usr/lib/jvm/*)." >&2
  echo "sluice: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
  return 1
}
sluice_find_jdk || exit 1
