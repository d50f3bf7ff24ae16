import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ValidationFailedError } from '@ferry/errors';
import { Authenticated, CurrentPrincipal, type AuthPolicy, type Principal } from '@ferry/identity';
import { CreateTransferDto } from './dto/create-transfer.dto';
import type { TransferDetailResponse, TransferSummaryResponse } from './dto/transfer.dto';
import { streamTransferEvents } from './transfer-event-stream';
import { receiptCsv, type TransferReceipt } from './transfer-receipt';
import { TransferRequests } from './transfer-requests.service';
import { TransfersService, type TransferViewer } from './transfers.service';

const PLATFORM_ADMIN: AuthPolicy = { roles: ['admin'] };

function viewerOf(principal: Principal): TransferViewer {
  // The policy admits session users only; the operator never reaches these handlers.
  if (principal.kind !== 'user') throw new Error('A transfer needs a platform admin session.');
  return { platformId: principal.platformId, userId: principal.userId };
}

function parseCourseId(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const courseId = Number(raw);
  if (!Number.isInteger(courseId) || courseId < 1) throw new ValidationFailedError({ courseId: ['courseId must be a Moodle course id (a whole number).'] });
  return courseId;
}

/** CONTRACT.md's transfers API, for a platform's admins; another platform's transfer answers 404. */
@Controller('api/transfers')
export class TransfersController {
  constructor(
    private readonly transfers: TransfersService,
    private readonly requests: TransferRequests,
  ) {}

  @Post()
  @Authenticated(PLATFORM_ADMIN)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTransferDto): Promise<TransferDetailResponse> {
    return this.requests.create(viewerOf(principal), body);
  }

  @Get()
  @Authenticated(PLATFORM_ADMIN)
  list(@CurrentPrincipal() principal: Principal, @Query('courseId') courseId?: string): Promise<TransferSummaryResponse[]> {
    return this.transfers.list(viewerOf(principal), parseCourseId(courseId));
  }

  @Get(':id')
  @Authenticated(PLATFORM_ADMIN)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TransferDetailResponse> {
    return this.transfers.get(viewerOf(principal), id);
  }

  @Get(':id/events')
  @Authenticated(PLATFORM_ADMIN)
  events(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    return streamTransferEvents(this.transfers, viewerOf(principal), id, request, response);
  }

  @Post(':id/cancel')
  @Authenticated(PLATFORM_ADMIN)
  @HttpCode(HttpStatus.OK)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TransferDetailResponse> {
    return this.transfers.cancel(viewerOf(principal), id);
  }

  @Post(':id/items/:itemId/cancel')
  @Authenticated(PLATFORM_ADMIN)
  @HttpCode(HttpStatus.OK)
  cancelItem(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('itemId') itemId: string): Promise<TransferDetailResponse> {
    return this.transfers.cancel(viewerOf(principal), id, itemId);
  }

  @Post(':id/retry')
  @Authenticated(PLATFORM_ADMIN)
  @HttpCode(HttpStatus.OK)
  retry(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TransferDetailResponse> {
    return this.transfers.retry(viewerOf(principal), id);
  }

  @Post(':id/items/:itemId/retry')
  @Authenticated(PLATFORM_ADMIN)
  @HttpCode(HttpStatus.OK)
  retryItem(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('itemId') itemId: string): Promise<TransferDetailResponse> {
    return this.transfers.retry(viewerOf(principal), id, itemId);
  }

  @Get(':id/receipt.json')
  @Authenticated(PLATFORM_ADMIN)
  async receiptJson(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res({ passthrough: true }) response: Response): Promise<TransferReceipt> {
    const receipt = await this.transfers.receipt(viewerOf(principal), id);
    response.setHeader('content-disposition', `attachment; filename="ferry-receipt-${receipt.transferId}.json"`);
    return receipt;
  }

  @Get(':id/receipt.csv')
  @Authenticated(PLATFORM_ADMIN)
  @Header('content-type', 'text/csv; charset=utf-8')
  async receiptCsv(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const receipt = await this.transfers.receipt(viewerOf(principal), id);
    response.setHeader('content-disposition', `attachment; filename="ferry-receipt-${receipt.transferId}.csv"`);
    return receiptCsv(receipt);
  }
}
