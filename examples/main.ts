import { synthRccRemote, synthRccRemoteCompose } from './rcc-remote';
import { synthRescan, synthRescanCompose } from './rescan';
import { synthTodoChatbot } from './todo-chatbot';
import { synthToolHive } from './toolhive';

// `npx cdk8s synth` runs this file. Each example system gets its own folder of plain YAML under
// dist/ (one file per environment, objects in apply order, the Namespace first) and a Helm chart
// under dist/helm/ (values.yaml plus values-<environment>.yaml); Rescan and RCC Remote also get a
// docker-compose.yaml for running them without Kubernetes (RCC Remote with its TLS files beside it).
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
synthRescan(outdir);
synthRescanCompose(outdir);
synthTodoChatbot(outdir);
synthRccRemote(outdir);
synthRccRemoteCompose(outdir);
synthToolHive(outdir);
