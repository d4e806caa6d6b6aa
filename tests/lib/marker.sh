# marker_member SCRIPT STATE_DIR: writes a heartbeat-style resource script that records, per
# network namespace, that the group runs there (STATE_DIR/marker.<namespace>).
marker_member() {
    local script=$1 dir=$2
    cat > "$script" <<SCRIPT
#!/bin/sh
state="$dir/marker.\$(ip netns identify \$\$)"
case "\$1" in
start) touch "\$state" ;;
stop) rm -f "\$state" ;;
status) [ -e "\$state" ] && echo running || echo stopped ;;
*) exit 1 ;;
esac
SCRIPT
    chmod 755 "$script"
}
