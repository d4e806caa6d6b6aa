# shellcheck shell=bash disable=SC2034
# The storage group the demo and the failover bench move: which members, with which agents,
# how to tell it runs on a node, and what a client does through the VIP. Source after
# cluster.sh.
#
# group_compose OURS: sets C_GROUP (the haresources resources), C_GROUP_UP and the client
# check. OURS=1: our agents where $TAKEOVER_BUILD/resource.d has them; OURS=0: heartbeat's
# own shell agents (IPaddr2, Filesystem).

G_MEMBERS=()   # ip fs ... : what the group holds, in start order
C_CLIENT_WHAT="ping"

our_agent() { [[ -x "$TAKEOVER_BUILD/resource.d/$1" ]]; }

group_compose() {
    local ours=$1
    C_OUR_AGENTS=$ours
    G_MEMBERS=(ip)
    if ((ours)) && our_agent IPaddr; then
        C_GROUP="IPaddr::$C_VIP/24/eth0"
        G_IP_AGENT="IPaddr (ours)"
    else
        C_GROUP="IPaddr2::$C_VIP/24/eth0"
        G_IP_AGENT="IPaddr2 (heartbeat's)"
    fi
    C_GROUP_UP=group_up
    echo "members: VIP by $G_IP_AGENT"
}

# group_up NODE: every member runs on NODE.
group_up() {
    local m
    for m in "${G_MEMBERS[@]}"; do
        case $m in
        ip) vip_on "$1" || return 1 ;;
        esac
    done
}

group_show() {
    local node=$1 m
    for m in "${G_MEMBERS[@]}"; do
        case $m in
        ip)
            if vip_on "$node"; then
                echo "  $node: VIP $C_VIP on eth0; client ping: $(client_ping_vip && echo answered || echo NO answer)"
            else
                echo "  $node: VIP $C_VIP NOT here"
            fi
            ;;
        esac
    done
}

# What the client checks through the VIP; the strongest the group's members allow.
group_client_ok() { client_ping_vip; }
group_client_before_crash() { :; }
# group_client_after_crash T_CRASH EVENTS_ARRAY_NAME: adds "ms|event" lines.
group_client_after_crash() { :; }
