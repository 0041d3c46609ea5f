// karmada-check runs Karmada's own admission code, at the pinned release, on the Karmada objects
// the platform creates: the mutating and validating webhooks of karmada-webhook for the policy
// kinds, and the aggregated API server's create strategy (normalise, then validate) for Clusters.
// Every object is first decoded strictly, as `fieldValidation=Strict` would: an unknown field is
// an error. Reads a JSON array of objects on stdin; writes a JSON array of verdicts on stdout.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	clusterapis "github.com/karmada-io/karmada/pkg/apis/cluster"
	clusterscheme "github.com/karmada-io/karmada/pkg/apis/cluster/scheme"
	clusterv1alpha1 "github.com/karmada-io/karmada/pkg/apis/cluster/v1alpha1"
	policyv1alpha1 "github.com/karmada-io/karmada/pkg/apis/policy/v1alpha1"
	pkgfeatures "github.com/karmada-io/karmada/pkg/features"
	clusterstrategy "github.com/karmada-io/karmada/pkg/registry/cluster"
	"github.com/karmada-io/karmada/pkg/util/gclient"
	"github.com/karmada-io/karmada/pkg/webhook/clusteroverridepolicy"
	"github.com/karmada-io/karmada/pkg/webhook/clusterpropagationpolicy"
	"github.com/karmada-io/karmada/pkg/webhook/clustertaintpolicy"
	"github.com/karmada-io/karmada/pkg/webhook/overridepolicy"
	"github.com/karmada-io/karmada/pkg/webhook/propagationpolicy"
)

// Verdict is what Karmada said of one object.
type Verdict struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Allowed   bool   `json:"allowed"`
	// Reason is Karmada's message when it refused the object.
	Reason string `json:"reason,omitempty"`
}

type handlers struct{ mutate, validate admission.Handler }

func main() {
	allowNoExecute := flag.Bool("allow-no-execute-taint-policy", false, "karmada-webhook's flag of the same name")
	flag.Parse()
	// The aggregated API server's feature gates at their defaults (the platform's chart sets none for
	// it), registered as its options do before the Cluster strategy reads them.
	if err := utilfeature.DefaultMutableFeatureGate.Add(pkgfeatures.DefaultFeatureGates); err != nil {
		fail(err)
	}

	decoder := admission.NewDecoder(gclient.NewSchema())
	webhooks := map[string]handlers{
		"PropagationPolicy":        {propagationpolicy.NewMutatingHandler(decoder), &propagationpolicy.ValidatingAdmission{Decoder: decoder}},
		"ClusterPropagationPolicy": {clusterpropagationpolicy.NewMutatingHandler(decoder), &clusterpropagationpolicy.ValidatingAdmission{Decoder: decoder}},
		"OverridePolicy":           {&overridepolicy.MutatingAdmission{Decoder: decoder}, &overridepolicy.ValidatingAdmission{Decoder: decoder}},
		"ClusterOverridePolicy":    {nil, &clusteroverridepolicy.ValidatingAdmission{Decoder: decoder}},
		"ClusterTaintPolicy":       {nil, &clustertaintpolicy.ValidatingAdmission{Decoder: decoder, AllowNoExecuteTaintPolicy: *allowNoExecute}},
	}

	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var objects []json.RawMessage
	if err := json.Unmarshal(in, &objects); err != nil {
		fail(fmt.Errorf("stdin is not a JSON array of objects: %w", err))
	}
	verdicts := make([]Verdict, 0, len(objects))
	for _, raw := range objects {
		verdicts = append(verdicts, check(raw, webhooks))
	}
	out, _ := json.MarshalIndent(verdicts, "", "  ")
	fmt.Println(string(out))
}

func check(raw json.RawMessage, webhooks map[string]handlers) Verdict {
	var meta struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct{ Name, Namespace string }
	}
	_ = json.Unmarshal(raw, &meta)
	v := Verdict{Kind: meta.Kind, Namespace: meta.Metadata.Namespace, Name: meta.Metadata.Name}
	typed, known := typedObject(meta.APIVersion, meta.Kind)
	if !known {
		v.Reason = fmt.Sprintf("%s %s is not a Karmada kind this checker knows", meta.APIVersion, meta.Kind)
		return v
	}
	if err := strictDecode(raw, typed); err != nil {
		v.Reason = err.Error()
		return v
	}
	if meta.Kind == "Cluster" {
		return checkCluster(v, typed.(*clusterv1alpha1.Cluster))
	}
	h := webhooks[meta.Kind]
	object := []byte(raw)
	if h.mutate != nil {
		resp := h.mutate.Handle(context.Background(), request(meta.APIVersion, meta.Kind, meta.Metadata.Namespace, object))
		if !resp.Allowed {
			v.Reason = "mutating webhook: " + message(resp)
			return v
		}
		patched, err := applyPatches(object, resp)
		if err != nil {
			v.Reason = err.Error()
			return v
		}
		object = patched
	}
	resp := h.validate.Handle(context.Background(), request(meta.APIVersion, meta.Kind, meta.Metadata.Namespace, object))
	v.Allowed = resp.Allowed
	if !resp.Allowed {
		v.Reason = "validating webhook: " + message(resp)
	}
	return v
}

// checkCluster does what the aggregated API server does on create: convert to the internal
// version, PrepareForCreate (normalise), Validate.
func checkCluster(v Verdict, external *clusterv1alpha1.Cluster) Verdict {
	internal := &clusterapis.Cluster{}
	if err := clusterscheme.Scheme.Convert(external, internal, nil); err != nil {
		v.Reason = err.Error()
		return v
	}
	strategy := clusterstrategy.NewStrategy(clusterscheme.Scheme)
	strategy.PrepareForCreate(context.Background(), internal)
	if errs := strategy.Validate(context.Background(), internal); len(errs) > 0 {
		v.Reason = "cluster strategy: " + errs.ToAggregate().Error()
		return v
	}
	v.Allowed = true
	return v
}

func typedObject(apiVersion, kind string) (runtime.Object, bool) {
	switch apiVersion + "/" + kind {
	case "cluster.karmada.io/v1alpha1/Cluster":
		return &clusterv1alpha1.Cluster{}, true
	case "policy.karmada.io/v1alpha1/PropagationPolicy":
		return &policyv1alpha1.PropagationPolicy{}, true
	case "policy.karmada.io/v1alpha1/ClusterPropagationPolicy":
		return &policyv1alpha1.ClusterPropagationPolicy{}, true
	case "policy.karmada.io/v1alpha1/OverridePolicy":
		return &policyv1alpha1.OverridePolicy{}, true
	case "policy.karmada.io/v1alpha1/ClusterOverridePolicy":
		return &policyv1alpha1.ClusterOverridePolicy{}, true
	case "policy.karmada.io/v1alpha1/ClusterTaintPolicy":
		return &policyv1alpha1.ClusterTaintPolicy{}, true
	}
	return nil, false
}

// strictDecode refuses unknown fields, as the API server does under fieldValidation=Strict.
func strictDecode(raw []byte, into runtime.Object) error {
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.DisallowUnknownFields()
	if err := d.Decode(into); err != nil {
		return fmt.Errorf("strict decoding: %w", err)
	}
	return nil
}

func request(apiVersion, kind, namespace string, object []byte) admission.Request {
	group, version, _ := strings.Cut(apiVersion, "/")
	return admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
		UID:       "karmada-check",
		Operation: admissionv1.Create,
		Namespace: namespace,
		Object:    runtime.RawExtension{Raw: object},
		Kind:      metav1.GroupVersionKind{Group: group, Version: version, Kind: kind},
	}}
}

func applyPatches(object []byte, resp admission.Response) ([]byte, error) {
	if len(resp.Patches) == 0 {
		return object, nil
	}
	ops, err := json.Marshal(resp.Patches)
	if err != nil {
		return nil, err
	}
	patch, err := jsonpatch.DecodePatch(ops)
	if err != nil {
		return nil, err
	}
	return patch.Apply(object)
}

func message(resp admission.Response) string {
	if resp.Result != nil {
		return resp.Result.Message
	}
	return "refused"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "karmada-check:", err)
	os.Exit(2)
}
