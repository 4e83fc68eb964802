#!/usr/bin/env bash
# Starts a second Docker daemon on this machine as a stand-in for a remote one. It listens on
# tcp://127.0.0.1:PORT with TLS client verification and keeps everything apart from the default
# daemon: its own data, runtime folder, pid file, Unix socket, Linux bridge and address range.
#
#   docker-second-daemon.sh certs CERT_DIR
#       creates a test CA and server and client certificates in CERT_DIR
#   docker-second-daemon.sh start STATE_DIR PORT CERT_DIR [--image NAME]...
#       starts the daemon, waits until it accepts requests, then copies each NAME from the
#       default daemon (unix:///var/run/docker.sock) into the new one
#   docker-second-daemon.sh stop STATE_DIR
#       stops the daemon started with STATE_DIR and deletes its bridge and network bridges
#   docker-second-daemon.sh status STATE_DIR
#       prints whether that daemon runs, its address and its images
#
# CERT_DIR contains ca.pem, server-cert.pem and server-key.pem for the daemon and ca.pem, cert.pem
# and key.pem for clients. A client reaches the daemon with:
#   DOCKER_HOST=tcp://127.0.0.1:PORT DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=CERT_DIR docker version
# Needs root. Exit status: 0 on success, 1 on failure, 2 on a usage error, 3 when a required
# package cannot be installed.
set -euo pipefail

START_TIMEOUT_S=${SKIFF_DOCKER_START_TIMEOUT:-60}
STOP_TIMEOUT_S=${SKIFF_DOCKER_STOP_TIMEOUT:-60}
CERT_DAYS=365
DEFAULT_SOCKET=/var/run/docker.sock
# Unix socket paths are limited to 107 bytes. dockerd creates its deepest socket 37 characters
# below STATE_DIR (run/containerd/containerd.sock.ttrpc), so STATE_DIR may have 64 at most.
MAX_STATE_DIR_LENGTH=64
# The bridge takes the first 10.213.N.0/24 (N from 1 to 127) that no route on this machine overlaps.
BRIDGE_PREFIX=10.213

unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

usage() {
    sed -n '2,21s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

fail() {
    echo "$*" >&2
    exit 1
}

require_root() {
    [[ $(id -u) -eq 0 ]] || fail "Run this script as root: dockerd and ip link need it."
}

# Installs docker.io, iproute2 and openssl through docker-engine.sh when a command is missing.
require_tools() {
    local tool
    for tool in dockerd docker ip openssl ss; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            "$(dirname "$0")/docker-engine.sh" install
            return
        fi
    done
}

# Sets the paths of the daemon's files below the absolute STATE_DIR.
set_state_paths() {
    STATE_DIR=$(realpath -m -- "$1")
    if ((${#STATE_DIR} > MAX_STATE_DIR_LENGTH)); then
        fail "STATE_DIR $STATE_DIR is ${#STATE_DIR} characters long; use at most $MAX_STATE_DIR_LENGTH, because Unix socket paths below it must fit in 107 bytes."
    fi
    SOCKET=$STATE_DIR/docker.sock
    PID_FILE=$STATE_DIR/dockerd.pid
    LOG_FILE=$STATE_DIR/dockerd.log
    CONFIG_FILE=$STATE_DIR/daemon.json
    NETWORK_FILE=$STATE_DIR/network
    PORT_FILE=$STATE_DIR/port
    DATA_ROOT=$STATE_DIR/data
    EXEC_ROOT=$STATE_DIR/run
}

second_docker() {
    docker --host "unix://$SOCKET" "$@"
}

# Prints the pid of the dockerd that uses this STATE_DIR, when it runs.
running_pid() {
    [[ -f $PID_FILE ]] || return 1
    local pid
    pid=$(<"$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--data-root $DATA_ROOT " || return 1
    echo "$pid"
}

generate_certs() {
    local dir=$1 files=(ca.pem ca-key.pem server-cert.pem server-key.pem cert.pem key.pem) present=0 file
    for file in "${files[@]}"; do
        [[ -f $dir/$file ]] && present=$((present + 1))
    done
    if ((present == ${#files[@]})); then
        echo "Certificates exist in $dir; nothing to do."
        return 0
    fi
    if ((present > 0)); then
        fail "$dir holds only some of ${files[*]}. Remove them or pick an empty folder."
    fi

    mkdir -p "$dir"
    CERT_WORK_DIR=$(mktemp -d)
    trap 'rm -rf -- "$CERT_WORK_DIR"' EXIT
    local work=$CERT_WORK_DIR
    (
        umask 077
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/ca-key.pem" 2>/dev/null
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/server-key.pem" 2>/dev/null
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/key.pem" 2>/dev/null
    )
    openssl req -x509 -new -key "$dir/ca-key.pem" -days "$CERT_DAYS" -subj "/CN=Skiff test Docker CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$dir/ca.pem"

    cat >"$work/server.ext" <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EOF
    cat >"$work/client.ext" <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
EOF
    sign_cert "$dir" server "$dir/server-key.pem" "$work/server.ext" "$dir/server-cert.pem" "$work"
    sign_cert "$dir" client "$dir/key.pem" "$work/client.ext" "$dir/cert.pem" "$work"
    chmod 0644 "$dir/ca.pem" "$dir/server-cert.pem" "$dir/cert.pem"
    echo "Created a CA, a server certificate for 127.0.0.1 and localhost, and a client certificate in $dir (valid $CERT_DAYS days)"
}

# Signs a certificate for KEY with the CA in DIR, using a random serial number.
sign_cert() {
    local dir=$1 name=$2 key=$3 extensions=$4 out=$5 work=$6
    openssl req -new -key "$key" -subj "/CN=$name" -out "$work/$name.csr"
    openssl x509 -req -in "$work/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
        -set_serial "0x$(openssl rand -hex 16)" -days "$CERT_DAYS" -extfile "$extensions" -out "$out" 2>/dev/null
}

# Prints the first 10.213.N.0/24 (N below 128) that no route on this machine overlaps.
free_subnet() {
    local n subnet
    for ((n = 1; n < 128; n++)); do
        subnet=$BRIDGE_PREFIX.$n.0/24
        if [[ -z $(ip -4 route show root "$subnet") && -z $(ip -4 route show match "$subnet" | grep -v '^default') ]]; then
            echo "$subnet"
            return 0
        fi
    done
    return 1
}

# Creates the bridge recorded in NETWORK_FILE, or a new one, and sets BRIDGE and SUBNET.
create_bridge() {
    local port=$1
    if [[ -f $NETWORK_FILE ]]; then
        read -r BRIDGE SUBNET <"$NETWORK_FILE"
        if ip link show "$BRIDGE" >/dev/null 2>&1; then
            return 0
        fi
    else
        BRIDGE=skiff-$port
        SUBNET=$(free_subnet) || fail "No free /24 in $BRIDGE_PREFIX.1.0 to $BRIDGE_PREFIX.127.0 for the bridge."
    fi
    if ip link show "$BRIDGE" >/dev/null 2>&1; then
        fail "A network interface named $BRIDGE exists already but $NETWORK_FILE does not record it. Remove it with: ip link del $BRIDGE"
    fi
    ip link add "$BRIDGE" type bridge
    ip addr add "${SUBNET%.0/24}.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    echo "$BRIDGE $SUBNET" >"$NETWORK_FILE"
    echo "Created bridge $BRIDGE with ${SUBNET%.0/24}.1/24"
}

delete_bridge() {
    [[ -f $NETWORK_FILE ]] || return 0
    local bridge subnet
    read -r bridge subnet <"$NETWORK_FILE"
    if ip link show "$bridge" >/dev/null 2>&1; then
        ip link del "$bridge"
        echo "Deleted bridge $bridge ($subnet)"
    fi
    rm -f "$NETWORK_FILE"
}

# Polls the Unix socket until the daemon accepts requests, then checks the TLS port once.
wait_until_ready() {
    local pid=$1 port=$2 cert_dir=$3 deadline=$((SECONDS + START_TIMEOUT_S)) version
    while ! version=$(timeout 10 docker --host "unix://$SOCKET" version --format '{{.Server.Version}}' 2>/dev/null); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "dockerd (pid $pid) exited during startup. Last lines of $LOG_FILE:" >&2
            tail -n 30 "$LOG_FILE" >&2
            delete_bridge
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "dockerd (pid $pid) did not accept requests within $START_TIMEOUT_S s; it is still running." >&2
            echo "Stop it with: $0 stop $STATE_DIR. Last lines of $LOG_FILE:" >&2
            tail -n 30 "$LOG_FILE" >&2
            exit 1
        fi
        sleep 0.5
    done

    if [[ -f $cert_dir/cert.pem && -f $cert_dir/key.pem ]]; then
        if ! timeout 10 docker --host "tcp://127.0.0.1:$port" --tlsverify --tlscacert "$cert_dir/ca.pem" \
            --tlscert "$cert_dir/cert.pem" --tlskey "$cert_dir/key.pem" version >/dev/null; then
            fail "dockerd (pid $pid) runs, but a TLS request to tcp://127.0.0.1:$port with the client certificate in $cert_dir failed."
        fi
        echo "dockerd $version is ready on tcp://127.0.0.1:$port (TLS checked) and unix://$SOCKET (pid $pid, log $LOG_FILE)"
    else
        echo "dockerd $version is ready on tcp://127.0.0.1:$port and unix://$SOCKET (pid $pid, log $LOG_FILE)"
        echo "TLS was not checked: $cert_dir has no client cert.pem and key.pem."
    fi
}

# Copies an image from the default daemon into this one with docker save and docker load.
copy_image() {
    local image=$1
    if second_docker image inspect "$image" >/dev/null 2>&1; then
        echo "Image $image is present in the second daemon."
        return 0
    fi
    docker --host "unix://$DEFAULT_SOCKET" image inspect "$image" >/dev/null 2>&1 ||
        fail "Image $image is not in the default daemon on unix://$DEFAULT_SOCKET; build or pull it there first (scripts/docker-engine.sh image builds skiff/debian-jre:bookworm)."
    local started=$EPOCHREALTIME
    docker --host "unix://$DEFAULT_SOCKET" save "$image" | second_docker load >/dev/null
    local elapsed_ms=$(((${EPOCHREALTIME/./} - ${started/./}) / 1000))
    echo "Copied image $image into the second daemon in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s"
}

start_daemon() {
    [[ $# -ge 3 ]] || usage
    set_state_paths "$1"
    local port=$2 cert_dir images=()
    cert_dir=$(realpath -m -- "$3")
    shift 3
    while [[ $# -gt 0 ]]; do
        case $1 in
            --image) [[ $# -ge 2 ]] || usage; images+=("$2"); shift 2 ;;
            *) echo "Unknown option: $1" >&2; usage ;;
        esac
    done
    [[ $port =~ ^[0-9]+$ ]] && ((10#$port >= 1 && 10#$port <= 65535)) || fail "Invalid PORT $port: expected a number from 1 to 65535."
    local file
    for file in ca.pem server-cert.pem server-key.pem; do
        [[ -f $cert_dir/$file ]] || fail "Missing $cert_dir/$file. Create test certificates with: $0 certs $cert_dir"
    done
    require_root
    require_tools
    mkdir -p "$STATE_DIR"

    local pid
    if pid=$(running_pid); then
        local running_port
        running_port=$(cat "$PORT_FILE" 2>/dev/null || echo unknown)
        [[ $running_port == "$port" ]] || fail "A dockerd (pid $pid) already uses $STATE_DIR, on port $running_port. Stop it first with: $0 stop $STATE_DIR"
        echo "dockerd (pid $pid) already runs with $STATE_DIR"
    else
        if [[ -n $(ss -Hltn "sport = :$port") ]]; then
            fail "Port $port is in use: $(ss -Hltnp "sport = :$port" | head -n 1)"
        fi
        create_bridge "$port"
        echo '{}' >"$CONFIG_FILE"
        echo "$port" >"$PORT_FILE"
        # The empty config file keeps settings in /etc/docker/daemon.json from applying here.
        # Without iptables rules the two daemons cannot break each other's chains, and published
        # ports still work through docker-proxy. Docker sets up no masquerading for the containers.
        # NOTE: --default-address-pool is left out on purpose. With it, dockerd 20.10.24 deleted the
        # interface named docker0 on each restart with an existing data root, which breaks the
        # default daemon. Networks created on this daemon therefore come from Docker's default
        # pools, and Docker skips ranges that a host route already covers, such as docker0's.
        echo "=== $(date -Is) starting dockerd for $STATE_DIR" >>"$LOG_FILE"
        setsid dockerd \
            --config-file "$CONFIG_FILE" \
            --data-root "$DATA_ROOT" \
            --exec-root "$EXEC_ROOT" \
            --pidfile "$PID_FILE" \
            --host "unix://$SOCKET" \
            --host "tcp://127.0.0.1:$port" \
            --tlsverify \
            --tlscacert "$cert_dir/ca.pem" \
            --tlscert "$cert_dir/server-cert.pem" \
            --tlskey "$cert_dir/server-key.pem" \
            --bridge "$BRIDGE" \
            --iptables=false \
            --ip-masq=false \
            --ip-forward=false \
            --containerd-namespace "skiff-$port" \
            --containerd-plugins-namespace "skiff-$port-plugins" \
            </dev/null >>"$LOG_FILE" 2>&1 &
        pid=$!
        echo "Started dockerd (pid $pid) on bridge $BRIDGE ($SUBNET), waiting up to $START_TIMEOUT_S s for it to accept requests"
    fi
    wait_until_ready "$pid" "$port" "$cert_dir"

    local image
    for image in "${images[@]}"; do
        copy_image "$image"
    done
}

stop_daemon() {
    [[ $# -eq 1 ]] || usage
    set_state_paths "$1"
    require_root
    local pid network_bridges=()
    if pid=$(running_pid); then
        mapfile -t network_bridges < <(list_network_bridges)
        echo "Stopping dockerd (pid $pid)"
        kill -TERM "$pid"
        local deadline=$((SECONDS + STOP_TIMEOUT_S))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "dockerd (pid $pid) is still running $STOP_TIMEOUT_S s after SIGTERM, so its bridge stays. Last lines of $LOG_FILE:" >&2
            tail -n 20 "$LOG_FILE" >&2
            echo "Check it, then stop it with: kill -KILL $pid, and run this command again." >&2
            exit 1
        fi
        echo "Stopped dockerd (pid $pid)"
    else
        echo "No dockerd runs with $STATE_DIR."
    fi
    delete_bridge

    # dockerd leaves the bridges of networks created on it behind and recreates them on its next
    # start. Deleting them here frees their address ranges, which Docker skips while a route covers them.
    local bridge
    for bridge in "${network_bridges[@]}"; do
        if ip link show "$bridge" >/dev/null 2>&1; then
            ip link del "$bridge"
            echo "Deleted network bridge $bridge"
        fi
    done
}

# Prints the interface names of the bridge networks created on this daemon, without its own bridge.
list_network_bridges() {
    local own_bridge subnet id name
    read -r own_bridge subnet 2>/dev/null <"$NETWORK_FILE" || own_bridge=
    second_docker network ls --quiet --no-trunc --filter driver=bridge 2>/dev/null |
        while read -r id; do
            name=$(second_docker network inspect --format '{{index .Options "com.docker.network.bridge.name"}}' "$id" 2>/dev/null || true)
            # Docker names the interface of a network br- and the first 12 characters of its id.
            name=${name:-br-${id:0:12}}
            if [[ $name != "$own_bridge" && $name != docker0 ]]; then
                echo "$name"
            fi
        done
}

print_status() {
    [[ $# -eq 1 ]] || usage
    set_state_paths "$1"
    local pid
    if ! pid=$(running_pid); then
        echo "No dockerd runs with $STATE_DIR."
        return 1
    fi
    local bridge subnet
    read -r bridge subnet <"$NETWORK_FILE"
    echo "dockerd pid $pid on tcp://127.0.0.1:$(<"$PORT_FILE") and unix://$SOCKET, bridge $bridge ($subnet), log $LOG_FILE"
    second_docker image ls --format '  image {{.Repository}}:{{.Tag}} {{.Size}}'
}

case ${1:-} in
    certs) [[ $# -eq 2 ]] || usage; generate_certs "$2" ;;
    start) shift; start_daemon "$@" ;;
    stop) shift; stop_daemon "$@" ;;
    status) shift; print_status "$@" ;;
    *) usage ;;
esac
