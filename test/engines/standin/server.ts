/**
 * The stand-in provider plugin: one Node process serving Pulumi's ResourceProvider gRPC protocol
 * for one package (`command`, `random` or `tls`), as the engine launches a plugin: it prints its
 * port on stdout and answers until the engine hangs up. What each resource does is in ./packages.
 * Preview only: a real create, update or delete is refused with an error that says so.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { diff, PACKAGES, type Props, type StandIn } from "./packages";

type Call<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

const toJs = (s: structPb.Struct | undefined): Props => (s ? (s.toJavaScript() as Props) : {});
const toStruct = (p: Props) => structPb.Struct.fromJavaScript(p as Record<string, structPb.JavaScriptValue>);

function unary<Req, Res>(handler: (req: Req) => Res): Call<Req, Res> {
  return (call, callback) => {
    try {
      callback(null, handler(call.request));
    } catch (error) {
      callback({ code: grpc.status.UNKNOWN, message: (error as Error).message }, null);
    }
  };
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function resourceOf(pkg: StandIn, urn: string) {
  const type = urn.split("::")[2].split("$").pop()!;
  const resource = pkg.resources[type];
  if (!resource) throw new Error(`stand-in ${pkg.name}: no resource type ${type}`);
  return { type, resource };
}

export function service(pkg: StandIn, version: string): grpc.UntypedServiceImplementation {
  const previewOnly = (what: string) => () => {
    throw new Error(`stand-in ${pkg.name} provider: ${what} is not implemented (the stand-in serves previews only)`);
  };
  return {
    getPluginInfo: unary(() => new pluginPb.PluginInfo().setVersion(version)),
    getSchema: unary(() => new providerPb.GetSchemaResponse().setSchema(JSON.stringify({ name: pkg.name, version }))),
    checkConfig: unary((req: providerPb.CheckRequest) => new providerPb.CheckResponse().setInputs(req.getNews())),
    diffConfig: unary(() => new providerPb.DiffResponse().setChanges(providerPb.DiffResponse.DiffChanges.DIFF_NONE)),
    configure: unary(() =>
      new providerPb.ConfigureResponse()
        .setAcceptsecrets(pkg.acceptSecrets)
        .setSupportspreview(true)
        .setAcceptresources(true)
        .setAcceptoutputs(pkg.acceptSecrets),
    ),
    check: unary((req: providerPb.CheckRequest) => {
      const { resource } = resourceOf(pkg, req.getUrn());
      return new providerPb.CheckResponse().setInputs(toStruct(resource.check(toJs(req.getNews()))));
    }),
    diff: unary((req: providerPb.DiffRequest) => {
      const { resource } = resourceOf(pkg, req.getUrn());
      const olds = toJs(req.getOldInputs() ?? req.getOlds());
      const { changed, replaces } = diff(resource, olds, toJs(req.getNews()));
      return new providerPb.DiffResponse()
        .setChanges(changed.length ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
        .setDiffsList(changed)
        .setReplacesList(replaces)
        .setDeletebeforereplace(false);
    }),
    create: unary((req: providerPb.CreateRequest) => {
      if (!req.getPreview()) previewOnly("create")();
      const { resource } = resourceOf(pkg, req.getUrn());
      const { id, outputs } = resource.preview(nameOf(req.getUrn()), toJs(req.getProperties()));
      return new providerPb.CreateResponse().setId(id).setProperties(toStruct(outputs));
    }),
    update: unary((req: providerPb.UpdateRequest) => {
      if (!req.getPreview()) previewOnly("update")();
      const { resource } = resourceOf(pkg, req.getUrn());
      return new providerPb.UpdateResponse().setProperties(toStruct(resource.preview(nameOf(req.getUrn()), toJs(req.getNews())).outputs));
    }),
    read: unary(previewOnly("read")),
    delete: unary(previewOnly("delete")),
    invoke: unary(previewOnly("invoke")),
    cancel: unary(() => new emptyPb.Empty()),
  };
}

/** Serves package `name`, reporting `version` (the one the engine installed it as). */
async function main(name: string, version: string): Promise<void> {
  const pkg = PACKAGES[name];
  if (!pkg || !version) throw new Error(`usage: server.js <package> <version>; packages: ${Object.keys(PACKAGES).join(", ")}`);
  const server = new grpc.Server();
  server.addService(providerRpc.ResourceProviderService, service(pkg, version));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  // The engine reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
}

if (require.main === module) {
  main(process.argv[2], process.argv[3]).catch((error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
