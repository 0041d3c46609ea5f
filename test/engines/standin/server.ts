/**
 * The stand-in provider plugin: one Node process serving Pulumi's ResourceProvider gRPC protocol
 * for one package (`command`, `random` or `tls`), as the engine launches a plugin: it prints its
 * port on stdout and answers until the engine hangs up. What each resource does is in ./packages:
 * a preview's Create and Update compute, a real one applies; Read returns the state as it is.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { diff, PACKAGES, type Props, type StandIn, type StepContext } from "./packages";

type Call<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

const toJs = (s: structPb.Struct | undefined): Props => (s ? (s.toJavaScript() as Props) : {});
const toStruct = (p: Props) => structPb.Struct.fromJavaScript(p as Record<string, structPb.JavaScriptValue>);

function unary<Req, Res>(handler: (req: Req) => Res | Promise<Res>): Call<Req, Res> {
  return (call, callback) => {
    // A failure is a plain error, as Go's gRPC makes of one: code Unknown, the message as is.
    Promise.resolve()
      .then(() => handler(call.request))
      .then((res) => callback(null, res), (error: Error) => callback({ code: grpc.status.UNKNOWN, details: error.message, message: error.message }, null));
  };
}

/** Where a step's logs go: the engine's Log with `ephemeral` (go-provider's InfoStatus), or nowhere without an engine. */
export type Logger = (urn: string, line: string) => Promise<void>;

/** A logger that sends status lines to the engine at `address`. */
export function engineLogger(address: string): Logger {
  const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
  return (urn, line) =>
    new Promise((resolve) => {
      const request = new enginePb.LogRequest().setSeverity(enginePb.LogSeverity.INFO).setMessage(line).setUrn(urn).setEphemeral(true);
      // A log the engine refuses is not the step's failure (go-provider falls back to its own log).
      client.log(request, () => resolve());
    });
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function resourceOf(pkg: StandIn, urn: string) {
  const type = urn.split("::")[2].split("$").pop()!;
  const resource = pkg.resources[type];
  if (!resource) throw new Error(`stand-in ${pkg.name}: no resource type ${type}`);
  return { type, resource };
}

/** The ResourceProvider service for `pkg`; `logger` takes the lines a command logs. */
export function service(pkg: StandIn, version: string, logger?: Logger): grpc.UntypedServiceImplementation {
  const notImplemented = (what: string) => () => {
    throw new Error(`stand-in ${pkg.name} provider: ${what} is not implemented`);
  };
  /** The step's context; its logs are awaited before the step answers, so none comes after it. */
  const step = (urn: string): StepContext & { flush: () => Promise<void> } => {
    const sent: Promise<void>[] = [];
    return {
      name: nameOf(urn),
      log: (line) => void (logger && sent.push(logger(urn, line))),
      flush: async () => void (await Promise.all(sent)),
    };
  };
  const withStep = async <T>(urn: string, run: (context: StepContext) => Promise<T>): Promise<T> => {
    const context = step(urn);
    try {
      return await run(context);
    } finally {
      await context.flush();
    }
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
    create: unary(async (req: providerPb.CreateRequest) => {
      const { resource } = resourceOf(pkg, req.getUrn());
      const inputs = toJs(req.getProperties());
      const { id, outputs } = req.getPreview()
        ? resource.preview(nameOf(req.getUrn()), inputs)
        : await withStep(req.getUrn(), (context) => resource.create(inputs, context));
      return new providerPb.CreateResponse().setId(id).setProperties(toStruct(outputs));
    }),
    update: unary(async (req: providerPb.UpdateRequest) => {
      const { resource } = resourceOf(pkg, req.getUrn());
      const olds = toJs(req.getOlds());
      const news = toJs(req.getNews());
      // An ignored change keeps the state's value (go-provider and the bridge both do so).
      for (const key of req.getIgnorechangesList()) if (key in olds) news[key] = olds[key];
      const outputs = req.getPreview()
        ? resource.preview(nameOf(req.getUrn()), news).outputs
        : await withStep(req.getUrn(), (context) => resource.update(olds, news, context));
      return new providerPb.UpdateResponse().setProperties(toStruct(outputs));
    }),
    // Neither provider reads anything back for these resources: the state is returned as it is.
    read: unary((req: providerPb.ReadRequest) =>
      new providerPb.ReadResponse().setId(req.getId()).setProperties(req.getProperties()).setInputs(req.getInputs()),
    ),
    delete: unary(async (req: providerPb.DeleteRequest) => {
      const { resource } = resourceOf(pkg, req.getUrn());
      await withStep(req.getUrn(), (context) => resource.delete(toJs(req.getProperties()), context));
      return new emptyPb.Empty();
    }),
    invoke: unary(notImplemented("invoke")),
    cancel: unary(() => new emptyPb.Empty()),
  };
}

/**
 * Serves package `name`, reporting `version` (the one the engine installed it as). The engine passes
 * its own address as the last argument that is not a flag: a command's logs go there.
 */
async function main(name: string, version: string, engineArgs: string[]): Promise<void> {
  const pkg = PACKAGES[name];
  if (!pkg || !version) throw new Error(`usage: server.js <package> <version>; packages: ${Object.keys(PACKAGES).join(", ")}`);
  const server = new grpc.Server();
  const engine = engineArgs.filter((a) => !a.startsWith("-")).pop();
  server.addService(providerRpc.ResourceProviderService, service(pkg, version, engine ? engineLogger(engine) : undefined));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  // The engine reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
}

if (require.main === module) {
  main(process.argv[2], process.argv[3], process.argv.slice(4)).catch((error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
