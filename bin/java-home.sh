# shellcheck shell=bash
# Finds a JDK 21 or newer for Fjord's scripts and exports JAVA_HOME.
#
# Source it from bash:   . "$root/bin/java-home.sh" || exit 1
# or run it to see what it picks:   bin/java-home.sh
#
# Order of preference:
#   1. $JAVA_HOME, when its bin/java is Java 21+
#   2. the `java` on PATH, when it is Java 21+
#   3. the newest JDK under /usr/lib/jvm (override the folder with FJORD_JVM_DIR) that is 21+
# With FJORD_NEED_JAVAC=1 a candidate must also have bin/javac (needed to build, not to run).
#
# On success it exports JAVA_HOME and FJORD_JAVA_MAJOR (the feature release number, e.g. 25), and
# sets FJORD_JDK_FLAGS: the options that let libraries which use native code and sun.misc.Unsafe
# (Netty; Maven's own jansi and guice) run without the warnings newer JDKs print about them. These
# options do not exist on older JDKs, so they depend on the version.
# On failure it prints every Java it looked at, with its version, and returns 1.

FJORD_MIN_JAVA=21

# Prints the feature release number ("8", "17", "25") of the Java whose home is $1, or nothing.
# The JDK's `release` file answers without starting a JVM; without one we ask the JVM itself.
fjord_java_major() {
    local home=$1 v=""
    [ -x "$home/bin/java" ] || return 1
    if [ -r "$home/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$home/release" | head -n 1)
    fi
    if [ -z "$v" ]; then
        v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^[[:space:]]*java\.specification\.version[[:space:]]*=[[:space:]]*\([^[:space:]]*\).*/\1/p' \
            | head -n 1)
    fi
    if [ -z "$v" ]; then
        # Last resort: the first quoted version in `java -version`, e.g. "17.0.15", "1.8.0_412", "25-ea".
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    case $v in
        1.*) v=${v#1.} ;;  # 1.8 -> 8
    esac
    v=${v%%[!0-9]*}        # 25.0.3 -> 25, 25-ea -> 25
    [ -n "$v" ] || return 1
    printf '%s\n' "$v"
}

# The Java home of an executable `java` (follows symlinks such as /usr/bin/java -> /etc/alternatives/...).
fjord_java_home_of() {
    local bin
    bin=$(readlink -f "$1" 2>/dev/null) || return 1
    [ -n "$bin" ] || return 1
    dirname "$(dirname "$bin")"
}

# Sets JAVA_HOME and FJORD_JAVA_MAJOR, or prints what it found and returns 1.
fjord_find_java_home() {
    local seen="" cand major best="" best_major=0 jvm_dir=${FJORD_JVM_DIR:-/usr/lib/jvm}

    # Accepts $1 as the answer if it is new enough (and has javac when that is needed).
    _fjord_try() {
        local home=$1 label=$2 m
        home=$(cd "$home" 2>/dev/null && pwd -P) || { seen+="  $label: $1 (not a directory)"$'\n'; return 1; }
        m=$(fjord_java_major "$home") || { seen+="  $label: $home (no usable bin/java)"$'\n'; return 1; }
        if [ "$m" -lt "$FJORD_MIN_JAVA" ]; then
            seen+="  $label: $home is Java $m"$'\n'; return 1
        fi
        if [ "${FJORD_NEED_JAVAC:-0}" = 1 ] && [ ! -x "$home/bin/javac" ]; then
            seen+="  $label: $home is Java $m but has no javac (a JRE, not a JDK)"$'\n'; return 1
        fi
        JAVA_HOME=$home
        FJORD_JAVA_MAJOR=$m
        return 0
    }

    FJORD_JAVA_SKIPPED=""
    if [ -n "${JAVA_HOME:-}" ] && _fjord_try "$JAVA_HOME" 'JAVA_HOME'; then
        export JAVA_HOME FJORD_JAVA_MAJOR; return 0
    fi
    if cand=$(command -v java 2>/dev/null) && cand=$(fjord_java_home_of "$cand") \
        && _fjord_try "$cand" 'java on PATH'; then
        FJORD_JAVA_SKIPPED=$seen
        export JAVA_HOME FJORD_JAVA_MAJOR; return 0
    fi
    local d
    for d in "$jvm_dir"/*; do
        [ -x "$d/bin/java" ] || continue
        d=$(cd "$d" && pwd -P) || continue
        case $'\n'"$seen" in *" $d "*|*" $d"$'\n'*) continue ;; esac   # symlinked twins
        major=$(fjord_java_major "$d") || continue
        if [ "$major" -lt "$FJORD_MIN_JAVA" ]; then
            seen+="  $jvm_dir: $d is Java $major"$'\n'; continue
        fi
        if [ "${FJORD_NEED_JAVAC:-0}" = 1 ] && [ ! -x "$d/bin/javac" ]; then
            seen+="  $jvm_dir: $d is Java $major but has no javac (a JRE, not a JDK)"$'\n'; continue
        fi
        if [ "$major" -gt "$best_major" ]; then best=$d; best_major=$major; fi
    done
    FJORD_JAVA_SKIPPED=$seen
    if [ -n "$best" ]; then
        JAVA_HOME=$best
        FJORD_JAVA_MAJOR=$best_major
        export JAVA_HOME FJORD_JAVA_MAJOR
        return 0
    fi

    FJORD_JAVA_SKIPPED=$seen
    {
        echo "fjord: no JDK ${FJORD_MIN_JAVA} or newer found. Looked at:"
        if [ -n "$seen" ]; then printf '%s' "$seen"; else echo "  (no Java at all: JAVA_HOME unset, no java on PATH, nothing under $jvm_dir)"; fi
        echo "Install a JDK ${FJORD_MIN_JAVA}+ (Temurin 21 or 25, or your distribution's openjdk-21/25 package where it has one)"
        echo "and set JAVA_HOME to it, or put it under $jvm_dir."
    } >&2
    return 1
}

# Sets FJORD_JDK_FLAGS to the JDK options described above, for the Java of FJORD_JAVA_MAJOR.
fjord_set_jdk_flags() {
    FJORD_JDK_FLAGS=""
    if [ "${FJORD_JAVA_MAJOR:-0}" -ge 22 ]; then FJORD_JDK_FLAGS+=" --enable-native-access=ALL-UNNAMED"; fi
    if [ "${FJORD_JAVA_MAJOR:-0}" -ge 24 ]; then FJORD_JDK_FLAGS+=" --sun-misc-unsafe-memory-access=allow"; fi
    FJORD_JDK_FLAGS=${FJORD_JDK_FLAGS# }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    # Run, not sourced: report the choice.
    if fjord_find_java_home; then
        echo "JAVA_HOME=$JAVA_HOME (Java $FJORD_JAVA_MAJOR)"
        fjord_set_jdk_flags
        echo "JDK options: $FJORD_JDK_FLAGS"
        if [ -n "$FJORD_JAVA_SKIPPED" ]; then printf 'skipped:\n%s' "$FJORD_JAVA_SKIPPED"; fi
        exit 0
    fi
    exit 1
fi
fjord_find_java_home && fjord_set_jdk_flags
