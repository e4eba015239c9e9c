import { FortiFlexSimulator } from "../../simulator/fortiflex-simulator";

/**
 * Requests exactly as Fortinet's public Python samples, Postman collections and Terraform provider send
 * them (raw HTTP, no project client), so those tools work against the simulator with only the base URLs
 * changed.
 */
describe("simulator wire compatibility with Fortinet's clients", () => {
  let sim: FortiFlexSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await FortiFlexSimulator.start();
    // Postman's FortiCloud collection: form-encoded token request.
    const res = await fetch(sim.authUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "flexvm", username: sim.seed.username, password: sim.seed.password }),
    });
    const body = (await res.json()) as { access_token: string };
    expect(res.status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{30}$/),
      expires_in: 3660,
      token_type: "Bearer",
      scope: "read write",
      refresh_token: expect.any(String),
      message: "successfully authenticated",
      status: "success",
    });
    token = body.access_token;
  });
  afterAll(async () => sim.stop());

  const call = async (operation: string, body: string | undefined, bearer = token) => {
    const res = await fetch(sim.apiUrl + operation, {
      method: "POST",
      headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json", Accept: "application/json" },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  test("JSON password grant (Python sample, Terraform) and bad credentials", async () => {
    const ok = await fetch(sim.authUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: sim.seed.username, password: sim.seed.password, client_id: "flexvm", grant_type: "password" }),
    });
    expect(ok.status).toBe(200);
    const bad = await fetch(sim.authUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: sim.seed.username, password: "nope", client_id: "flexvm", grant_type: "password" }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual(expect.objectContaining({ error: "invalid_grant" }));
  });

  test('programs/list accepts no body, {} and the JSON string ""', async () => {
    for (const body of [undefined, "{}", '""']) {
      const res = await call("programs/list", body);
      expect(res).toEqual({
        status: 200,
        body: {
          programs: [expect.objectContaining({ serialNumber: sim.seed.programSerialNumber })],
          error: null,
          message: "Request processed successfully.",
          status: 0,
        },
      });
    }
  });

  test("numeric strings for ids and counts (Postman), numbers for values (Terraform)", async () => {
    const created = await call(
      "configs/create",
      JSON.stringify({
        programSerialNumber: sim.seed.programSerialNumber,
        accountId: String(sim.seed.accountId),
        name: "Test Configuration",
        productTypeId: "1",
        parameters: [
          { id: 1, value: 4 },
          { id: 2, value: "UTP" },
          { id: 10, value: 10 },
        ],
      }),
    );
    expect(created.status).toBe(200);
    expect(created.body.configs).toEqual(expect.objectContaining({ name: "Test Configuration", status: "ACTIVE" }));
    const id = String(created.body.configs.id);
    const ents = await call(
      "entitlements/vm/create",
      JSON.stringify({ configId: id, count: "2", description: "VM Entitlements", endDate: null, folderPath: "My Assets/vm_entitlements" }),
    );
    expect(ents.body.entitlements).toHaveLength(2);
    const listed = await call("entitlements/list", JSON.stringify({ configId: id }));
    expect(Object.keys(listed.body.entitlements[0]).sort()).toEqual([
      "accountId",
      "configId",
      "description",
      "endDate",
      "serialNumber",
      "startDate",
      "status",
      "token",
      "tokenStatus",
    ]);
    const disabled = await call("configs/disable", JSON.stringify({ id }));
    expect(disabled.body.configs.status).toBe("DISABLED");
  });

  test("error envelope, invalid token and unknown endpoints", async () => {
    const invalid = await call(
      "configs/create",
      JSON.stringify({
        programSerialNumber: sim.seed.programSerialNumber,
        name: "x",
        productTypeId: 1,
        parameters: [
          { id: 1, value: "0" },
          { id: 2, value: "UTP" },
        ],
      }),
    );
    expect(invalid).toEqual({
      status: 400,
      body: { status: -1, message: expect.stringMatching(/^Parameter id 1 /), error: expect.objectContaining({ errorCode: expect.any(Number) }) },
    });
    expect(await call("programs/list", "{}", "expired-or-made-up")).toEqual({
      status: 401,
      body: { status: -1, message: "Invalid security token.", error: expect.any(Object) },
    });
    expect((await call("no/such/endpoint", "{}")).status).toBe(404);
    // FortiFlex has no deletes: configurations are disabled and entitlements stopped instead.
    expect((await call("configs/delete", "{}")).status).toBe(404);
    expect((await call("entitlements/delete", "{}")).status).toBe(404);
    const get = await fetch(sim.apiUrl + "programs/list", { headers: { Authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
  });

  test("v1 groups/list path and verify_token", async () => {
    const res = await fetch(`${sim.baseUrl}/ES/api/flexvm/v1/groups/list`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { status: number }).status).toBe(0);
    const verify = await fetch(`${sim.baseUrl}/api/v1/oauth/verify_token/?client_id=flexvm`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await verify.json()) as { expires_in: number }).expires_in).toBeGreaterThan(3000);
  });

  test("the request log records every call without credentials", () => {
    const auths = sim.requests.filter((r) => r.operation === "auth");
    expect(auths.length).toBeGreaterThan(0);
    expect(JSON.stringify(sim.requests)).not.toContain(sim.seed.password);
  });
});
