// Typed use of the types openapi-typescript generates from the served document (scripts/contract
// writes them to warmup-api.d.ts beside this file). It compiles under `tsc --strict` only if each
// path and operation resolves to its own types: a list typed as another resource's list, a body
// typed as another operation's body, or a lost operation fails here.
import type { components, operations, paths } from "./warmup-api";

type Schemas = components["schemas"];
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Problem<R> = R extends { content: { "application/problem+json": infer B } } ? B : never;

// Exact type equality: a mismatch makes the `true` below a type error.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Equal<A, B>): Equal<A, B> => proof;

// Each list returns its own page of its own item.
same<Json<paths["/v1/mailboxes"]["get"]["responses"][200]>, Schemas["MailboxPage"]>(true);
same<Json<paths["/v1/seeds"]["get"]["responses"][200]>, Schemas["SeedPage"]>(true);
same<Json<paths["/v1/api-keys"]["get"]["responses"][200]>, Schemas["ApiKeyPage"]>(true);
same<Json<operations["listMailboxPlacements"]["responses"][200]>, Schemas["PlacementPage"]>(true);
same<Json<operations["listMailboxWarmupEvents"]["responses"][200]>, Schemas["WarmupEventPage"]>(true);
same<Schemas["MailboxPage"]["items"][number], Schemas["Mailbox"]>(true);
// Operations are found by their ids, and they are the path's operations.
same<operations["listMailboxes"], paths["/v1/mailboxes"]["get"]>(true);
same<operations["createSeed"], paths["/v1/seeds"]["post"]>(true);
same<operations["getMailboxPlacementSummary"], paths["/v1/mailboxes/{id}/placement-summary"]["get"]>(true);
// Bodies are the operation's own.
type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;
same<Body<operations["createSeed"]>, Schemas["CreateSeed"]>(true);
same<Body<operations["createMailbox"]>, Schemas["CreateMailbox"]>(true);
same<Body<operations["createOrganization"]>, Schemas["CreateOrganization"]>(true);
// Errors are problem documents.
same<Problem<operations["createMailbox"]["responses"][422]>, Schemas["Problem"]>(true);
same<Problem<operations["listMailboxes"]["responses"][401]>, Schemas["Problem"]>(true);

// A small client on fetch, typed by the document alone.
type Method = "get" | "post" | "put" | "patch" | "delete";

async function call<P extends keyof paths, M extends Method & keyof paths[P]>(
  base: string,
  key: string,
  path: P,
  method: M,
  options: { id?: string; body?: unknown } = {},
): Promise<unknown> {
  const init: RequestInit = {
    method: method.toUpperCase(),
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
  };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const url = base + String(path).replace("{id}", encodeURIComponent(options.id ?? ""));
  const res = await fetch(url, init);
  return res.status === 204 ? undefined : res.json();
}

async function connectAndStart(base: string, key: string): Promise<Schemas["WarmupSettings"]> {
  const create: Schemas["CreateMailbox"] = {
    email: "jane@acme.example",
    provider: "google_workspace",
    timezone: "Europe/Berlin",
    smtp: { password: "app-password" },
    imap: { password: "app-password", port: 993, security: "tls" },
  };
  const mailbox = (await call(base, key, "/v1/mailboxes", "post", { body: create })) as Schemas["Mailbox"];
  const id: string = mailbox.id;
  const change: Schemas["PreferencesPatch"] = {
    start_per_day: 3,
    daily_increase: 2,
    max_per_day: 40,
    pattern: "b2b",
    provider_split: { google_workspace: 50, microsoft_365: 50 },
    languages: ["en", "de"],
    weekdays: ["mon", "tue", "wed", "thu", "fri"],
  };
  await call(base, key, "/v1/mailboxes/{id}/warmup", "patch", { id, body: change });
  const started = await call(base, key, "/v1/mailboxes/{id}/warmup/start", "post", { id });
  return started as Schemas["WarmupSettings"];
}

function describe(p: Schemas["Problem"]): string {
  const fields = (p.errors ?? []).map((e: Schemas["Violation"]) => `${e.field}: ${e.message}`);
  return [`${p.status} ${p.code}: ${p.detail}`, ...fields].join("\n");
}

function placementLine(p: Schemas["Placement"]): string {
  const where: Schemas["PlacementClass"] | "pending" = p.class ?? "pending";
  return `${p.seed_email} ${where} ${p.folder ?? ""}`;
}

function outcomes(page: Schemas["WarmupEventPage"]): Schemas["EventOutcome"][] {
  return page.items.map((e) => e.outcome);
}

export { connectAndStart, describe, placementLine, outcomes };
