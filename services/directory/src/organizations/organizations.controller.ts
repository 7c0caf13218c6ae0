import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DIRECTORY_PATTERNS,
  type AuditQuery,
  type ManageAccessQuery,
  type OrganizationQuery,
  type OrganizationUsersQuery,
  type SearchOrganizationsQuery,
  type UpdateRegistrationCommand,
} from '@am/contracts';
import { AuditService } from '../audit/audit.service';
import { ManageAccessService } from '../manage-access/manage-access.service';
import { OrganizationsService } from './organizations.service';

@Controller()
export class OrganizationsController {
  constructor(
    private readonly orgs: OrganizationsService,
    private readonly manageAccess: ManageAccessService,
    private readonly audit: AuditService,
  ) {}

  @MessagePattern(DIRECTORY_PATTERNS.manageAccess)
  view(@Payload() query: ManageAccessQuery) {
    return this.manageAccess.view(query);
  }

  @MessagePattern(DIRECTORY_PATTERNS.searchOrganizations)
  search(@Payload() query: SearchOrganizationsQuery) {
    return this.orgs.search(query);
  }

  @MessagePattern(DIRECTORY_PATTERNS.getOrganization)
  get(@Payload() query: OrganizationQuery) {
    return this.orgs.get(query);
  }

  @MessagePattern(DIRECTORY_PATTERNS.organizationUsers)
  users(@Payload() query: OrganizationUsersQuery) {
    return this.orgs.users(query);
  }

  @MessagePattern(DIRECTORY_PATTERNS.updateRegistration)
  updateRegistration(@Payload() cmd: UpdateRegistrationCommand) {
    return this.orgs.updateRegistration(cmd);
  }

  @MessagePattern(DIRECTORY_PATTERNS.listAudit)
  listAudit(@Payload() query: AuditQuery) {
    return this.audit.list(query);
  }
}
