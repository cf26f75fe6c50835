import { SSMClient } from '@aws-sdk/client-ssm';
import {
  coreLogger,
  envInputReader,
  exportVariables,
  maskSecret,
  parseInputs,
  runAction,
  setOutputs,
  writeSummary,
} from '@baepo/action-kit';
import { clientConfig, explainable, resolveRegion } from '@baepo/aws';
import { runSsmLoad, ssmApi, stageSecretFile } from '@baepo/ssm';
import { inputs } from './interface.js';

await runAction(async ({ signal }) => {
  const input = parseInputs(inputs, envInputReader());
  const region = resolveRegion(input['aws-region']);
  const result = await runSsmLoad(
    {
      paths: input.paths,
      names: input.names,
      required: input.required,
      recursive: input.recursive,
      decrypt: input.decrypt,
      nameTransform: input['name-transform'],
      prefix: input.prefix ?? '',
      expandJson: input['expand-json'],
      stringList: input['string-list'],
      mask: input.mask,
      region,
      exportEnv: input['export-env'],
      setOutputs: input['set-outputs'],
      dotenvFile: input['dotenv-file'],
      jsonFile: input['json-file'],
    },
    {
      ssm: ssmApi(explainable(new SSMClient(clientConfig(region)), region)),
      logger: coreLogger,
      mask: (value) => maskSecret(value),
      stageSecretFile: (input, path, content) => stageSecretFile(input, path, content),
      signal,
    },
  );
  exportVariables(result.env);
  setOutputs(result.outputs);
  await writeSummary(result.summary);
});
