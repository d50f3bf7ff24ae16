import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FerryConfig } from '@ferry/config';
import { ferryDataSourceOptions } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [FerryConfig],
          useFactory: (config: FerryConfig) => ferryDataSourceOptions(config.database.url),
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
