import * as path from 'path';
import { App } from 'cdk8s';
import { rescanChart } from './rescan';
import { todoChatbotCharts } from './todo-chatbot';
import { Environment } from '../src';

// `npx cdk8s synth` runs this file. Each example system gets its own folder under dist/, with one
// file per environment whose objects are in apply order (the Namespace first).
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';

const rescan = new App({ outdir: path.join(outdir, 'rescan') });
rescanChart(rescan, Environment.PRODUCTION);
rescanChart(rescan, Environment.DEVELOPMENT);
rescan.synth();

const todo = new App({ outdir: path.join(outdir, 'todo-chatbot') });
todoChatbotCharts(todo);
todo.synth();
