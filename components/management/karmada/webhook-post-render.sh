#!/bin/sh
# Helm post-renderer of the Karmada release (manifests on stdin, out on stdout): the chart has no
# value for karmada-webhook's arguments, and the platform's ClusterTaintPolicy taints NoExecute,
# which karmada-webhook refuses without --allow-no-execute-taint-policy. The flag goes right after
# the webhook's binary in its command; a chart whose webhook no longer starts that way fails the
# release here instead of deploying a webhook without it.
exec awk '
  { print }
  /^[[:space:]]*- \/bin\/karmada-webhook[[:space:]]*$/ {
    indent = $0
    sub(/-.*$/, "", indent)
    print indent "- --allow-no-execute-taint-policy=true"
    found++
  }
  END {
    if (found != 1) {
      print "karmada post-render: expected one karmada-webhook command in the chart, found " found + 0 > "/dev/stderr"
      exit 1
    }
  }'
