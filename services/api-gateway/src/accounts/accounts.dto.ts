import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_POLICY, USER_ID_PATTERN, USER_ID_RULE } from '@am/contracts';

const PASSWORD_DOC = `Password policy: ${PASSWORD_POLICY.description} Breaking a rule answers 400 naming the field (password) and the rule (details.rule).`;

export class RegisterDto {
  @ApiProperty({ example: 'jane.doe', description: USER_ID_RULE.replace(/^userId must be/, 'The user id to sign in with:'), pattern: USER_ID_PATTERN.source })
  @IsString({ message: USER_ID_RULE })
  @Matches(USER_ID_PATTERN, { message: USER_ID_RULE })
  userId!: string;

  @ApiProperty({ example: 'Jane Doe', description: 'The name others see (approvers, the audit log)', maxLength: 100 })
  @IsString({ message: 'displayName must be 1 to 100 characters' })
  @Matches(/\S/, { message: 'displayName must be 1 to 100 characters' })
  @Length(1, 100, { message: 'displayName must be 1 to 100 characters' })
  displayName!: string;

  @ApiProperty({ format: 'email', example: 'jane.doe@example.com', description: 'Verified by a single-use link before the account can sign in', maxLength: 254 })
  @IsString({ message: 'email must be an email address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ format: 'password', example: 'correct horse battery staple', minLength: PASSWORD_POLICY.minLength, maxLength: PASSWORD_POLICY.maxLength, description: PASSWORD_DOC })
  @IsString({ message: 'password must be a string' })
  @MaxLength(1000, { message: `password must be at most ${PASSWORD_POLICY.maxLength} characters` })
  password!: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token of the emailed link: what follows #token= in it', example: 'h2Q0v9mZs3xJ1bqWk7Yt5cN8fR4eL6uA0dG2pS9iT3o' })
  @IsString({ message: 'token must be the token of the emailed link' })
  @Length(1, 200, { message: 'token must be the token of the emailed link' })
  token!: string;
}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty({ format: 'password', example: 'a new long passphrase', minLength: PASSWORD_POLICY.minLength, maxLength: PASSWORD_POLICY.maxLength, description: PASSWORD_DOC })
  @IsString({ message: 'password must be a string' })
  @MaxLength(1000, { message: `password must be at most ${PASSWORD_POLICY.maxLength} characters` })
  password!: string;
}

export class ForgotUserIdDto {
  @ApiProperty({ format: 'email', example: 'jane.doe@example.com' })
  @IsString({ message: 'email must be an email address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'jane.doe', description: 'The user id of the account' })
  @IsString({ message: 'userId must be a user id' })
  @Length(1, 100, { message: 'userId must be 1 to 100 characters' })
  userId!: string;
}
