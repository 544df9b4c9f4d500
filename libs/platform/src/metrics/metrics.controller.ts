import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../http/public.decorator.js';
import { metricsRegistry } from './app-metrics.js';

/** Prometheus text format, for the scraper. */
@Controller('metrics')
@Public()
export class MetricsController {
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
