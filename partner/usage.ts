// What a partner's TypeScript looks like with the types openapi-typescript generates from /openapi.json:
// every representation has a real type (never Record<string, never>), and so do 304, 308 and problems.
// Type-checked by tsc in CI (partner/check.sh); not run.
import type { components, paths } from "./generated/hairkb";

type Content<P extends keyof paths> = paths[P]["get"]["responses"][200]["content"];
type Ok<P extends keyof paths, M extends keyof Content<P>> = Content<P>[M];

type ConditionPage = Ok<"/v1/conditions/{slug}", "application/json">;
type PageLd = Ok<"/v1/conditions/{slug}/jsonld", "application/ld+json">;
type ArticleLd = Ok<"/v1/citations/{number}/jsonld", "application/ld+json">;
type Csl = Ok<"/v1/citations/{number}/csl-json", "application/vnd.citationstyles.csl+json">;
type BibTeX = Ok<"/v1/citations/{number}/bibtex", "application/x-bibtex">;
type Ris = Ok<"/v1/{kind}/{slug}/references/ris", "application/x-research-info-systems">;
type Ndjson = Ok<"/v1/export/ndjson", "application/x-ndjson">;
type Graph = Ok<"/v1/{kind}/{slug}/graph", "application/json">;
type Picture = Ok<"/v1/graph/svg", "image/svg+xml">;
type GraphFormat = NonNullable<paths["/v1/graph"]["get"]["parameters"]["query"]>["format"];
type Moved = paths["/v1/conditions/{slug}"]["get"]["responses"][308]["content"]["application/json"];
type NotModified = paths["/v1/conditions/{slug}"]["get"]["responses"][304];
type Problem = components["schemas"]["Problem"];
type Format = NonNullable<paths["/v1/citations/{number}"]["get"]["parameters"]["query"]>["format"];

// CSL-JSON is an array of items with CSL's own field names.
const csl: Csl = [
  {
    id: "hairkb-33",
    type: "article-journal",
    title: "Immunotherapy of metastatic breast cancer patients",
    author: [{ family: "King", given: "L. E.", suffix: "Jr" }, { literal: "et al" }],
    issued: { "date-parts": [[2008]] },
    status: "retracted",
    DOI: "10.1002/ijc.23107",
  },
];
const retracted: boolean = csl[0].status === "retracted";

// JSON-LD documents have their schema.org shape; absolute identifiers.
function describe(page: PageLd, article: ArticleLd): string {
  const treatments = page.mainEntity.name ?? "";
  return `${page["@id"]} ${page.lastReviewed} ${page.publisher.name ?? ""} ${treatments} ${article.url ?? article["@id"]}`;
}

// Text formats are strings.
const bib: BibTeX = "@article{hairkb3,\n}";
const ris: Ris = "TY  - JOUR\nER  - \n";
const lines: Ndjson = '{"type": "meta"}\n';
const firstLine: string = lines.split("\n")[0] + bib.length + ris.length;

// The graph is Cytoscape.js element JSON with typed nodes and edges; its picture is SVG text.
function treated(graph: Graph): string[] {
  const edges = graph.elements.edges.filter((e) => e.data.type === "treats");
  return edges.map((e) => `${e.data.source} → ${e.data.target}: ${e.data.grade ?? ""}`);
}
const picture: Picture = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
const graphFormats: GraphFormat[] = ["json", "svg"];

// A 308 says where; a 304 has no body; problems are typed.
function follow(moved: Moved): string {
  return moved.location;
}
const noBody: NotModified["content"] = undefined;
function explain(problem: Problem): string {
  return `${problem.status} ${problem.type}: ${problem.detail} ${(problem.errors ?? []).map((e) => e.name).join(", ")}`;
}
const formats: Format[] = ["json", "jsonld", "bibtex", "ris", "csl-json", "text"];

// A partner's fetch of a page, revalidated with its ETag.
export async function conditionPage(base: string, slug: string, etag?: string): Promise<ConditionPage | null> {
  const response = await fetch(`${base}/v1/conditions/${encodeURIComponent(slug)}`, {
    headers: etag ? { "If-None-Match": etag } : {},
  });
  if (response.status === 304) return null;
  if (!response.ok) throw new Error(explain((await response.json()) as Problem));
  const page = (await response.json()) as ConditionPage;
  return page;
}

export const checks = { csl, retracted, describe, firstLine, follow, noBody, formats, treated, picture, graphFormats };
