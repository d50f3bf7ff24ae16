import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { IdentityModule } from '@ferry/identity';
import { TransferRequests } from './transfer-requests.service';
import { TransfersController } from './transfers.controller';
import { TransfersModule } from './transfers.module';

export interface TransfersHttpCatalog {
  /** Modules the catalog provider needs (CourseFilesModule). */
  imports?: ModuleMetadata['imports'];
  /** Provides COURSE_FILE_CATALOG: `{ provide: COURSE_FILE_CATALOG, useExisting: CourseFilesService }`. */
  catalog: Provider;
}

/** The transfers API (CONTRACT.md); only apps/api imports it. */
@Module({})
export class TransfersHttpModule {
  static forRoot(options: TransfersHttpCatalog): DynamicModule {
    return {
      module: TransfersHttpModule,
      imports: [TransfersModule, IdentityModule, ...(options.imports ?? [])],
      providers: [TransferRequests, options.catalog],
      controllers: [TransfersController],
    };
  }
}
