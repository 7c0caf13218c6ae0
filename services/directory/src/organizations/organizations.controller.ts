import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS } from '@am/contracts';
import { directoryPayloads, parsePayload } from '@am/service-kit';
import { AuditService } from '../audit/audit.service';
import { CoverageService } from '../coverage/coverage.service';
import { ManageAccessService } from '../manage-access/manage-access.service';
import { OrganizationsService } from './organizations.service';

@Controller()
export class OrganizationsController {
  constructor(
    private readonly orgs: OrganizationsService,
    private readonly manageAccess: ManageAccessService,
    private readonly audit: AuditService,
    private readonly coverage: CoverageService,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.coverage)
  coverageList(@Payload() payload: unknown) {
    return this.coverage.list(parsePayload(directoryPayloads.coverage, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.manageAccess)
  view(@Payload() payload: unknown) {
    return this.manageAccess.view(parsePayload(directoryPayloads.manageAccess, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.searchOrganizations)
  search(@Payload() payload: unknown) {
    return this.orgs.search(parsePayload(directoryPayloads.searchOrganizations, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.getOrganization)
  get(@Payload() payload: unknown) {
    return this.orgs.get(parsePayload(directoryPayloads.getOrganization, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.organizationUsers)
  users(@Payload() payload: unknown) {
    return this.orgs.users(parsePayload(directoryPayloads.organizationUsers, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.updateRegistration)
  updateRegistration(@Payload() payload: unknown) {
    return this.orgs.updateRegistration(parsePayload(directoryPayloads.updateRegistration, payload));
  }

  @MessagePattern(DIRECTORY_PATTERNS.listAudit)
  listAudit(@Payload() payload: unknown) {
    return this.audit.list(parsePayload(directoryPayloads.listAudit, payload));
  }
}
