import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { NOMINATION_MESSAGE_MAX } from '@am/contracts';

export class CreateNominationDto {
  @ApiProperty({ description: 'The nominee: their account id (uuid) or their user id (login id)', maxLength: 100, example: 'laura.fortran' })
  @IsString({ message: 'userId must be a user id or a UUID' })
  @Matches(/^[A-Za-z0-9._@-]{1,100}$/, { message: 'userId must be a user id or a UUID' })
  userId!: string;

  @ApiPropertyOptional({ maxLength: NOMINATION_MESSAGE_MAX, description: 'Told to the nominee', example: 'Please be our backup Security Official while I am on leave.' })
  @IsOptional()
  @IsString({ message: 'message must be a string' })
  @MaxLength(NOMINATION_MESSAGE_MAX, { message: `message must be at most ${NOMINATION_MESSAGE_MAX} characters` })
  message?: string;
}

export class NominationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
