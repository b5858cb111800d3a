#!/usr/bin/env node
// The app's server (`npm start` and `npm run dev` run it through scripts/start.js; the browser and server tests start
// it too): Next's request handler behind a node:http server that first answers the request methods the app does not
// take with a 405 (scripts/method-guard.js): TRACE, which Next would answer with a plain-text 500; TRACK, which Node's
// parser refuses with an empty 400; CONNECT, whose connection Node would close unanswered; any other method. Every
// other request goes to Next unchanged, proxy.ts and next.config.js included.
//   node scripts/server.js [--dev]     HOST (127.0.0.1) and PORT (3000) say where it listens
// It serves the build in .next (or compiles on demand with --dev) on the database DATABASE_URL names; start.js
// prepares both.
import http from "node:http";
import path from "node:path";
import { setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import { clientErrorResponse, methodRefusal, rawResponse } from "./method-guard.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
// As `next start` and `next dev` set it; before Next loads.
process.env.NODE_ENV = dev ? "development" : "production";
const hostname = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

const { default: next } = await import("next");
const server = http.createServer();
const app = next({ dev, dir: root, hostname, port, httpServer: server });
await app.prepare();
const handle = app.getRequestHandler();

server.on("request", (req, res) => {
  const refusal = methodRefusal(req.method, req.url);
  if (refusal) {
    req.resume();
    res.writeHead(refusal.status, refusal.headers).end(refusal.body);
    return;
  }
  handle(req, res).catch((err) => {
    console.error(`zoetrope: failed to handle ${req.method} ${req.url}:`, err);
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Internal Server Error");
  });
});

// CONNECT never reaches "request": Node hands over the socket, which it would otherwise close without an answer.
server.on("connect", (req, socket) => {
  socket.on("error", () => {});
  socket.end(rawResponse(methodRefusal(req.method, req.url)));
});

// A request Node's parser refuses: a method it does not know (TRACK) gets the 405, anything else Node's own answer.
// As Node does, nothing is written over a response already under way on the connection (`_httpMessage`).
server.on("clientError", (err, socket) => {
  if (socket.writable && !socket._httpMessage?.headersSent) socket.write(clientErrorResponse(err));
  socket.destroy(err);
});

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, hostname, resolve);
}).catch((err) => {
  console.error(`zoetrope: cannot listen on ${hostname}:${port}: ${err.message}`);
  process.exit(1);
});
const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
console.log(`zoetrope: serving on http://${shown}:${port}${dev ? " (development)" : ""}`);

// As `next start`: stop taking connections, let the requests under way finish, close Next, exit 128 + the signal.
// A request that outlasts 10 s is cut.
let closing = false;
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(code), 10_000).unref();
    server.close(() => app.close().catch(console.error).finally(() => process.exit(code)));
    if (dev) server.closeAllConnections();
    else server.closeIdleConnections();
  });
}
