import { startFakeLlmServer, type FakeLlmServer } from "../../test/support/fake-llm-server";
import { test } from "./fixtures";

/**
 * A loopback OpenAI-compatible server for the tests of one file: started before them, closed
 * after. Call at the top of a spec file; the getter answers the server once it is up.
 */
export function loopbackLlm(): () => FakeLlmServer {
  let llm: FakeLlmServer | undefined;
  test.beforeAll(async () => {
    llm = await startFakeLlmServer();
  });
  test.afterAll(async () => {
    await llm?.close();
  });
  return () => llm!;
}
