#!/bin/bash
# say.sh NAME "text"
n=$1; shift
s=$(wc -c < /tmp/t/$n.log)
printf '%s\n' "$*" > /tmp/t/$n.in
sleep ${W:-1.5}
tail -c +$((s+1)) /tmp/t/$n.log
