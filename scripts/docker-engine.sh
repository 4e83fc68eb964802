#!/usr/bin/env bash
# Installs and starts a local Docker engine (Debian's docker.io) and builds the offline base image
# skiff/debian-jre:bookworm, a minimal Debian bookworm root file system with a Java 17 runtime.
# Nothing is pulled from a registry: the image is built with debootstrap from the Debian mirror.
#
#   docker-engine.sh install   installs docker.io, debootstrap, iproute2 and openssl when missing
#   docker-engine.sh start     installs what is missing, then starts dockerd unless one already
#                              runs on /var/run/docker.sock, and waits until it accepts requests
#   docker-engine.sh image     builds and imports skiff/debian-jre:bookworm unless it exists
#   docker-engine.sh stop      stops the dockerd that `start` started, and no other
#   docker-engine.sh status    prints whether a daemon runs and whether the image exists
#
# State, logs and the cached root file system live in $SKIFF_DOCKER_STATE (default
# /var/lib/skiff-docker). Installing and starting need root. Exit status: 0 on success, 1 on
# failure, 2 on a usage error, 3 when a required package cannot be installed.
set -euo pipefail

STATE_DIR=${SKIFF_DOCKER_STATE:-/var/lib/skiff-docker}
START_TIMEOUT_S=${SKIFF_DOCKER_START_TIMEOUT:-60}
STOP_TIMEOUT_S=${SKIFF_DOCKER_STOP_TIMEOUT:-60}
DEBIAN_MIRROR=${SKIFF_DEBIAN_MIRROR:-http://deb.debian.org/debian}

SOCKET=/var/run/docker.sock
IMAGE=skiff/debian-jre:bookworm
SUITE=bookworm
ROOTFS_PACKAGES=openjdk-17-jre-headless,ca-certificates
PACKAGES=(docker.io debootstrap iproute2 openssl)

PID_FILE=$STATE_DIR/dockerd.pid
LOG_FILE=$STATE_DIR/dockerd.log
CACHE_DIR=$STATE_DIR/cache
ROOTFS_TAR=$CACHE_DIR/debian-jre-$SUITE.tar
JAVA_HOME_FILE=$CACHE_DIR/debian-jre-$SUITE.java-home

# The client talks to the default socket even when DOCKER_HOST points elsewhere.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

usage() {
    sed -n '2,15s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

fail() {
    echo "$*" >&2
    exit 1
}

local_docker() {
    docker --host "unix://$SOCKET" "$@"
}

# Prints the server version and returns 0 when a daemon accepts requests on the default socket.
daemon_version() {
    timeout 10 docker --host "unix://$SOCKET" version --format '{{.Server.Version}}' 2>/dev/null
}

image_exists() {
    timeout 30 docker --host "unix://$SOCKET" image inspect "$IMAGE" >/dev/null 2>&1
}

# Prints the pid recorded by `start` when that process is still a running dockerd.
started_dockerd_pid() {
    [[ -f $PID_FILE ]] || return 1
    local pid
    pid=$(<"$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1
    echo "$pid"
}

install_packages() {
    "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/apt-install.sh" "${PACKAGES[@]}"
}

# Polls the daemon until it accepts requests, the process exits or the timeout passes.
wait_until_ready() {
    local pid=$1 deadline=$((SECONDS + START_TIMEOUT_S)) version
    while ((SECONDS < deadline)); do
        if version=$(daemon_version); then
            echo "dockerd $version is ready on unix://$SOCKET (pid $pid, log $LOG_FILE)"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "dockerd (pid $pid) exited during startup. Last lines of $LOG_FILE:" >&2
            tail -n 30 "$LOG_FILE" >&2
            rm -f "$PID_FILE"
            exit 1
        fi
        sleep 0.5
    done
    echo "dockerd (pid $pid) did not accept requests within $START_TIMEOUT_S s; it is still running." >&2
    echo "Stop it with: $0 stop. Last lines of $LOG_FILE:" >&2
    tail -n 30 "$LOG_FILE" >&2
    exit 1
}

start_daemon() {
    install_packages
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    flock 9

    local version pid
    if pid=$(started_dockerd_pid); then
        wait_until_ready "$pid"
        return 0
    fi
    if version=$(daemon_version); then
        echo "Using the Docker daemon $version that already runs on unix://$SOCKET; this script did not start it."
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        fail "Cannot start dockerd: run this script as root."
    fi

    local dockerd
    dockerd=$(command -v dockerd || echo /usr/sbin/dockerd)
    [[ -x $dockerd ]] || fail "Cannot start dockerd: $dockerd is missing although docker.io is installed."

    # setsid puts dockerd in its own session, so it outlives this shell and its terminal. It must not
    # inherit the lock on descriptor 9, which would block every later start and image command.
    echo "=== $(date -Is) starting $dockerd" >>"$LOG_FILE"
    setsid "$dockerd" --host "unix://$SOCKET" </dev/null >>"$LOG_FILE" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    echo "Started dockerd (pid $pid), waiting up to $START_TIMEOUT_S s for it to accept requests"
    wait_until_ready "$pid"
}

stop_daemon() {
    local pid version
    if ! pid=$(started_dockerd_pid); then
        rm -f "$PID_FILE"
        if version=$(daemon_version); then
            echo "Leaving the Docker daemon $version on unix://$SOCKET running: this script did not start it."
        else
            echo "No dockerd started by this script is running."
        fi
        return 0
    fi

    echo "Stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    local deadline=$((SECONDS + STOP_TIMEOUT_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "dockerd (pid $pid) is still running $STOP_TIMEOUT_S s after SIGTERM. Last lines of $LOG_FILE:" >&2
        tail -n 20 "$LOG_FILE" >&2
        echo "Check it, then stop it with: kill -KILL $pid" >&2
        exit 1
    fi
    rm -f "$PID_FILE"
    echo "Stopped dockerd (pid $pid)"
}

print_status() {
    local version driver pid ready=0
    if version=$(daemon_version); then
        driver=$(timeout 10 docker --host "unix://$SOCKET" info --format '{{.Driver}}' 2>/dev/null || echo unknown)
        echo "Docker daemon: $version on unix://$SOCKET, storage driver $driver"
        ready=1
    else
        echo "Docker daemon: none accepts requests on unix://$SOCKET"
    fi
    if pid=$(started_dockerd_pid); then
        echo "Started by this script: dockerd pid $pid, log $LOG_FILE"
    else
        echo "Started by this script: none"
    fi

    if ((ready)) && image_exists; then
        local size
        size=$(local_docker image inspect --format '{{.Size}}' "$IMAGE")
        echo "Image $IMAGE: present, $((size / 1000000)) MB"
    elif ((ready)); then
        echo "Image $IMAGE: missing (build it with: $0 image)"
        ready=0
    fi
    if [[ -f $ROOTFS_TAR ]]; then
        echo "Cached root file system: $ROOTFS_TAR, $(du -m "$ROOTFS_TAR" | cut -f1) MB"
    fi
    ((ready))
}

# Unmounts whatever debootstrap left mounted below $1 (proc, sys) and then removes $1.
remove_build_dir() {
    local dir=$1 mount_point
    [[ -d $dir ]] || return 0
    findmnt -rn -o TARGET | { grep -F -- "$dir/" || true; } | sort -r | while read -r mount_point; do
        umount -l "$mount_point" || true
    done
    rm -rf --one-file-system -- "$dir"
}

# Runs debootstrap into a temporary folder and packs the result into $ROOTFS_TAR.
build_rootfs_tar() {
    command -v debootstrap >/dev/null 2>&1 || install_packages
    mkdir -p "$CACHE_DIR" "$STATE_DIR/tmp"
    BUILD_DIR=$(mktemp -d "$STATE_DIR/tmp/rootfs.XXXXXX")
    trap 'remove_build_dir "$BUILD_DIR"' EXIT
    local rootfs=$BUILD_DIR/rootfs debootstrap_log=$STATE_DIR/debootstrap.log

    echo "Running debootstrap $SUITE ($ROOTFS_PACKAGES) from $DEBIAN_MIRROR, log $debootstrap_log"
    if ! debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" "$SUITE" "$rootfs" "$DEBIAN_MIRROR" \
        >"$debootstrap_log" 2>&1; then
        echo "debootstrap failed. Last lines of $debootstrap_log:" >&2
        tail -n 20 "$debootstrap_log" >&2
        exit 1
    fi

    local java_home
    java_home=$(chroot "$rootfs" readlink -f /usr/bin/java)
    java_home=${java_home%/bin/java}
    [[ -n $java_home && -d $rootfs$java_home ]] || fail "No Java runtime found in the debootstrap output under $rootfs"

    # Package lists and downloaded packages are not needed to run Java and only enlarge the image.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
    # Docker mounts /dev, /proc and /sys in every container, so the image keeps only the empty folders.
    tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -C "$rootfs" -cf "$BUILD_DIR/rootfs.tar" .
    echo "$java_home" >"$JAVA_HOME_FILE"
    mv "$BUILD_DIR/rootfs.tar" "$ROOTFS_TAR"
    remove_build_dir "$BUILD_DIR"
    trap - EXIT
}

build_image() {
    local started=$SECONDS
    daemon_version >/dev/null || fail "No Docker daemon accepts requests on unix://$SOCKET. Start one with: $0 start"
    mkdir -p "$STATE_DIR"
    exec 9>"$STATE_DIR/lock"
    flock 9

    if image_exists; then
        echo "Image $IMAGE exists; nothing to do."
        return 0
    fi

    if [[ -f $ROOTFS_TAR && -s $JAVA_HOME_FILE ]]; then
        echo "Using the cached root file system $ROOTFS_TAR"
    else
        build_rootfs_tar
    fi

    local java_home
    java_home=$(<"$JAVA_HOME_FILE")
    echo "Importing $ROOTFS_TAR as $IMAGE"
    local_docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change "ENV JAVA_HOME=$java_home" \
        --change 'WORKDIR /' \
        --change 'CMD ["/bin/bash"]' \
        --message "Debian $SUITE minbase with $ROOTFS_PACKAGES, built by $(basename "$0")" \
        "$ROOTFS_TAR" "$IMAGE" >/dev/null

    local output
    if ! output=$(local_docker run --rm "$IMAGE" java -version 2>&1) ||
        ! local_docker run --rm "$IMAGE" sh -c 'test -x "$JAVA_HOME/bin/java"'; then
        echo "The imported image fails its check, so it is removed again. Output of java -version:" >&2
        echo "$output" >&2
        local_docker rmi "$IMAGE" >/dev/null || true
        exit 1
    fi
    echo "$output" | head -n 1
    echo "Built $IMAGE in $((SECONDS - started)) s"
}

case ${1:-} in
    install) install_packages; echo "docker.io, debootstrap, iproute2 and openssl are installed." ;;
    start) start_daemon ;;
    image) build_image ;;
    stop) stop_daemon ;;
    status) print_status ;;
    *) usage ;;
esac
