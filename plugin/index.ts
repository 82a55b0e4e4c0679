/**
 * The entry point of the component package: the classes exported here are the package's
 * components. Only FargateService: its arguments are plain data and its properties are AWS
 * resources and outputs, which is what Pulumi's schema inference accepts.
 */
export { FargateService } from "../components/fargateService";
