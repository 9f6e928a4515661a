/**
 * The parts of class-validator this server uses, each loaded from its own file. class-validator's
 * index loads all of its ~100 decorators, with ~100 modules of validator and libphonenumber-js's
 * metadata (for IsPhoneNumber): ~150 ms of CPU at every start, for nothing a request uses. Import
 * them from here, never from "class-validator" (eslint.config.mjs refuses it in src/). The types
 * come from the package's own declarations, which mirror these paths (tsconfig.json's "paths").
 */
export { ArrayMaxSize } from "class-validator/cjs/decorator/array/ArrayMaxSize";
export { ArrayMinSize } from "class-validator/cjs/decorator/array/ArrayMinSize";
export { IsOptional } from "class-validator/cjs/decorator/common/IsOptional";
export { ValidateBy } from "class-validator/cjs/decorator/common/ValidateBy";
export { Max } from "class-validator/cjs/decorator/number/Max";
export { Min } from "class-validator/cjs/decorator/number/Min";
export { isEmail } from "class-validator/cjs/decorator/string/IsEmail";
export { IsUrl } from "class-validator/cjs/decorator/string/IsUrl";
export { IsUUID } from "class-validator/cjs/decorator/string/IsUUID";
export { Matches } from "class-validator/cjs/decorator/string/Matches";
export { MaxLength } from "class-validator/cjs/decorator/string/MaxLength";
export { MinLength } from "class-validator/cjs/decorator/string/MinLength";
export { IsBoolean } from "class-validator/cjs/decorator/typechecker/IsBoolean";
export { IsDate } from "class-validator/cjs/decorator/typechecker/IsDate";
export { IsEnum } from "class-validator/cjs/decorator/typechecker/IsEnum";
export { getMetadataStorage } from "class-validator/cjs/metadata/MetadataStorage";
export { Validator } from "class-validator/cjs/validation/Validator";
export type { ValidationError, ValidationOptions } from "class-validator";
